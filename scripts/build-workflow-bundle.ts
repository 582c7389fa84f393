// Build step (`npm run build`): writes the compiled workflows, bundled once, to dist/workflow-bundle.js,
// where the compiled worker loads it (src/worker/bundle.ts). Runs compiled, from dist/scripts.

import { writeFileSync } from 'node:fs';

import { buildWorkflowBundle, PREBUILT_BUNDLE } from '../src/worker/bundle';

async function main(): Promise<void> {
  const code = await buildWorkflowBundle();
  writeFileSync(PREBUILT_BUNDLE, code);
  console.error(`workflow bundle: ${PREBUILT_BUNDLE} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
