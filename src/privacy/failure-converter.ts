// The failure converter every worker, workflow bundle and client uses: a failure's message and stack travel
// as an encoded payload (Temporal's "encode common attributes"), so with encryption on, ChartMogul's
// messages and errors that quote a row's values are encrypted like every other payload. Clients and
// Temporal Web decode them back (Web through the codec server when encrypted).

import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
