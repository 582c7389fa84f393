#!/bin/sh
# Waits for the Temporal server, then makes sure the namespace the workers use exists.
set -eu
address="${TEMPORAL_ADDRESS:-temporal:7233}"
namespace="${DEFAULT_NAMESPACE:-default}"

tries=0
until temporal operator cluster health --address "$address" >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -ge 60 ] && { echo "Temporal at $address is not healthy after 60 tries"; exit 1; }
  sleep 3
done
if temporal operator namespace describe -n "$namespace" --address "$address" >/dev/null 2>&1; then
  echo "namespace $namespace exists"
else
  temporal operator namespace create -n "$namespace" --address "$address"
fi
