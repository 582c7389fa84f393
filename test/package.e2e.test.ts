// The published package as a user gets it: `npm pack` (which builds dist/), `npm install -g` of the tarball
// into an empty prefix, then the installed `chartmogul-sync` runs a real sync on the emulator, from the
// compiled build with its prebuilt workflow bundle and no tsx anywhere in reach.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..');

function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { ...options, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

test(
  'npm pack, npm install -g in an empty folder, then `chartmogul-sync run <example> --emulator` from dist/',
  { timeout: 900_000 },
  async () => {
    const work = mkdtempSync(join(tmpdir(), 'cms-package-'));
    const packed = await run('npm', ['pack', '--pack-destination', work], { cwd: ROOT, timeout: 300_000 });
    assert.equal(packed.code, 0, packed.stderr);
    const tarball = readdirSync(work).find((name) => /^chartmogul-sync-.*\.tgz$/.test(name));
    assert.ok(tarball, `npm pack wrote no tarball: ${packed.stdout}`);

    const prefix = join(work, 'prefix');
    const installed = await run(
      'npm',
      ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(work, tarball)],
      { cwd: work, timeout: 600_000 },
    );
    assert.equal(installed.code, 0, installed.stderr);
    const packageDir = join(prefix, 'lib', 'node_modules', 'chartmogul-sync');
    assert.ok(existsSync(join(packageDir, 'dist', 'workflow-bundle.js')), 'the workflow code is bundled at build time');
    assert.ok(!existsSync(join(packageDir, 'src')), 'the package holds the build, not the TypeScript sources');
    assert.throws(() => require.resolve('tsx', { paths: [packageDir] }), 'tsx is a development dependency only');

    const folder = mkdtempSync(join(work, 'user-'));
    const synced = await run(
      join(prefix, 'bin', 'chartmogul-sync'),
      ['run', join(packageDir, 'examples', 'customers.sync.json'), '--emulator', '--json'],
      { cwd: folder, timeout: 300_000 },
    );
    assert.equal(synced.code, 3, `exit 3: finished, with the example's rejected rows\n${synced.stderr.slice(-3000)}`);
    const result = JSON.parse(synced.stdout.trim().split('\n').pop() ?? '{}') as {
      status: string;
      totals: { created: number; rejected: number };
    };
    assert.equal(result.status, 'completed');
    assert.deepEqual([result.totals.created, result.totals.rejected], [995, 6]);
  },
);
