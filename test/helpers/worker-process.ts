// A worker in its own process, so a test can kill it with SIGKILL mid-sync. Prints "ready" when polling.

import { createWorkers } from '../../src/worker/workers';

async function main(): Promise<void> {
  const workers = await createWorkers({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233', reportsDir: process.env.REPORTS_DIR });
  const running = workers.run();
  console.log('ready');
  process.once('SIGTERM', () => workers.shutdown());
  await running;
}

main().catch((error: unknown) => { console.error(error); process.exit(1); });
