// The workflow code the io worker runs: bundled once at build time (`npm run build` writes
// dist/workflow-bundle.js, loaded as is), or, when running from the TypeScript sources, bundled once per
// process on first use (every worker in the process reuses it).

import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';

import { FAILURE_CONVERTER_PATH } from '../privacy/data-converter';

/** The bundle `npm run build` writes: dist/workflow-bundle.js, beside dist/src and dist/workflows. */
export const PREBUILT_BUNDLE = join(__dirname, '..', '..', 'workflow-bundle.js');

/** The workflows' entry point beside this file: `index.ts` in a checkout, `index.js` in dist/. */
export const WORKFLOWS_PATH = join(
  __dirname,
  '..',
  '..',
  'workflows',
  __filename.endsWith('.ts') ? 'index.ts' : 'index.js',
);

const noop = () => undefined;
const quietBundlerLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: console.warn,
  error: console.error,
  log: noop,
};

/** The workflows, and the failure converter every worker and client shares (src/privacy/failure-converter.ts). */
const BUNDLE_OPTIONS = {
  workflowsPath: WORKFLOWS_PATH,
  failureConverterPath: FAILURE_CONVERTER_PATH,
  logger: quietBundlerLogger,
};

/** Bundles the workflow code (webpack, through the Temporal SDK). */
export async function buildWorkflowBundle(): Promise<string> {
  return (await bundleWorkflowCode(BUNDLE_OPTIONS)).code;
}

let bundle: Promise<WorkflowBundleOption> | undefined;

/** Compiled code uses the bundle built with it; the sources are bundled here, so a change to them is never
 * hidden by an older build. */
export function workflowBundle(): Promise<WorkflowBundleOption> {
  bundle ??=
    !__filename.endsWith('.ts') && existsSync(PREBUILT_BUNDLE)
      ? Promise.resolve({ codePath: PREBUILT_BUNDLE })
      : bundleWorkflowCode(BUNDLE_OPTIONS);
  return bundle;
}
