// Shows, in a real browser, that Temporal Web decrypts through the codec server: runs an encrypted sync on
// an embedded dev server whose UI is wired to a local codec server, opens the page workflow in Chromium,
// waits until a decrypted row value is on screen, and saves docs/temporal-web-decrypted.png.
// Usage: npx tsx scripts/screenshot-web-ui.ts  (needs Debian's chromium: apt-get install -y chromium)

import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, Connection } from '@temporalio/client';
import { chromium } from 'playwright-core';

import { readConfig } from '../src/config';
import { startEmulator } from '../src/emulator';
import { dataConverterFor } from '../src/privacy/data-converter';
import { startLocalCodec } from '../src/privacy/local-codec';
import { freePort, startDevServer } from '../src/temporal/dev-server';
import { workflowWebUrl } from '../src/temporal/local-service';
import { createWorkers, installRuntime } from '../src/worker/workers';
import { SEARCH_ATTRIBUTES, TASK_QUEUES, syncWorkflowId } from '../src/contracts/names';

const OUT = join(__dirname, '..', 'docs', 'temporal-web-decrypted.png');
const DS = 'ds_11111111-2222-4333-8444-555555555555';
const SHOWN = 'ada.lovelace@example.com';

async function main(): Promise<void> {
  installRuntime({ level: 'ERROR' });
  const work = mkdtempSync(join(tmpdir(), 'cms-shot-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHARTMOGUL_SYNC_ENCRYPTION_KEYS: `demo:${randomBytes(32).toString('base64')}`,
    CHARTMOGUL_API_KEY: 'shot',
    STATE_SQLITE_PATH: join(work, 'state.sqlite'),
  };
  const config = readConfig(env);
  const emulator = await startEmulator({ apiKey: 'shot', dataSources: [DS], rps: 0, maxConnections: 0 });
  env.CHARTMOGUL_API_URL = emulator.url;
  const uiPort = await freePort();
  const codec = await startLocalCodec(config.encryptionKeys, uiPort);
  const server = await startDevServer({
    temporalCli: config.temporalCli,
    ui: true,
    uiPort,
    codecEndpoint: codec?.url,
    searchAttributes: SEARCH_ATTRIBUTES,
  });
  const workers = await createWorkers({ address: server.address, config, reportsDir: join(work, 'reports') });
  const running = workers.run();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, dataConverter: dataConverterFor(config.encryptionKeys) });
  const csv = join(work, 'customers.csv');
  writeFileSync(csv, `id,name,email\nCUS-0001,Ada Lovelace,${SHOWN}\nCUS-0002,Bad Email,not-an-email\n`);
  await client.workflow.execute('syncWorkflow', {
    taskQueue: TASK_QUEUES.io,
    workflowId: syncWorkflowId('demo'),
    args: [
      {
        name: 'demo',
        object: 'customers',
        mode: 'upsert',
        dataSourceUuid: DS,
        source: { type: 'file', path: csv },
        mapping: [
          { from: 'id', to: 'external_id' },
          { from: 'name', to: 'name' },
          { from: 'email', to: 'email' },
        ],
      },
    ],
  });
  const page = client.workflow.getHandle(`${syncWorkflowId('demo')}:page-0`);
  const { runId } = await page.describe();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  try {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await tab.goto(workflowWebUrl(server.uiUrl!, 'default', page.workflowId, runId));
    // The input is ciphertext on the server: this text appears only once the browser decoded it.
    await tab.getByText(SHOWN).first().waitFor({ timeout: 60_000 });
    await tab.screenshot({ path: OUT, fullPage: false });
    console.error(`Temporal Web showed the decrypted row; saved ${OUT}`);
  } finally {
    await browser.close();
    workers.shutdown();
    await running;
    await connection.close();
    await server.stop();
    await codec?.close();
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
