#!/bin/sh
# Creates Temporal's two databases in Postgres and brings their schemas up to date (safe to run again),
# with the SQL tool and the schema files that ship in temporalio/admin-tools.
set -eu
: "${POSTGRES_SEEDS:?set POSTGRES_SEEDS}" "${POSTGRES_USER:?set POSTGRES_USER}"
port="${DB_PORT:-5432}"
schemas=/etc/temporal/schema/postgresql/v12

until nc -z -w 5 "$POSTGRES_SEEDS" "$port"; do echo "waiting for Postgres at $POSTGRES_SEEDS:$port"; sleep 2; done

for db in temporal temporal_visibility; do
  dir=temporal
  [ "$db" = temporal_visibility ] && dir=visibility
  sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" --db "$db" "$@"; }
  sql create || true   # already there on a second start
  sql setup-schema -v 0.0
  sql update-schema -d "$schemas/$dir/versioned"
done
echo "Temporal schemas are ready"
