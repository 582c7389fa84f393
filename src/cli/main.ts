// The `chartmogul-sync` command line: dispatches to one module per command.
// Imports: anything under src/ (Node-side code), and workflows/ only for its pure modules (names, messages,
// result types, the workflow id helper); the worker bundles the workflow code itself.

import { codecServerCommand } from './codec-server-command';
import { emulatorCommand } from './emulator-command';
import { findCommand } from './find-command';
import { runCommand } from './run-command';
import { scheduleCommand } from './schedule-command';
import { serveCommand } from './serve-command';
import { cancelCommand, pauseCommand, resumeCommand, startCommand, statusCommand } from './steer-commands';
import { validateCommand } from './validate-command';
import { workerCommand } from './worker-command';
import { EXIT, UsageError, type Command } from './usage';

const COMMANDS: Command[] = [
  runCommand,
  validateCommand,
  serveCommand,
  workerCommand,
  startCommand,
  statusCommand,
  scheduleCommand,
  pauseCommand,
  resumeCommand,
  cancelCommand,
  findCommand,
  codecServerCommand,
  emulatorCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: chartmogul-sync <command> [options]',
    '',
    'Sync warehouse rows into ChartMogul customers, contacts, plans, invoices and transactions, durably, on Temporal.',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    "Run `chartmogul-sync <command> --help` for a command's options.",
    'Exit codes: 0 ok, 1 could not run, 2 bad command line, 3 finished with rejected, failed or partial rows.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${overview()}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(
        `chartmogul-sync ${command.name}: ${error.message}\nRun \`chartmogul-sync ${command.name} --help\` for usage.`,
      );
      return EXIT.usage;
    }
    console.error(`chartmogul-sync ${command.name}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}

// Snowflake's driver carries the AWS SDK (for stages, which a read never uses); on Node 20 that SDK warns at
// load about its own future releases, a message about nothing this product does.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = EXIT.failed;
  },
);
