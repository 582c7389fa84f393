// Finds or installs the Temporal CLI; shared by the README, the tests' setup and .ci/run.
// Prints the binary's path on stdout (or "sdk-download"); progress goes to stderr. Idempotent.

import { readConfig } from '../src/config';
import { ensureTemporalCli, INSTALL_HINT } from '../src/temporal/cli-binary';
import { startDevServer } from '../src/temporal/dev-server';

async function main(): Promise<number> {
  const temporalCli = readConfig().temporalCli;
  const executable = await ensureTemporalCli({ locations: temporalCli });
  if (executable.type === 'existing-path') {
    console.error(`Temporal CLI: ${executable.path}`);
    console.log(executable.path);
    return 0;
  }
  // No binary: prove that the SDK's download works by starting (and stopping) a dev server with it.
  try {
    const server = await startDevServer({ executable, temporalCli });
    await server.stop();
    console.log('sdk-download');
    return 0;
  } catch (error) {
    console.error(
      `The Temporal SDK could not download the CLI: ${error instanceof Error ? error.message : String(error)}`,
    );
    console.error(INSTALL_HINT);
    return 1;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
