#!/usr/bin/env node
// Runs the CLI: the compiled build (dist/) in an installed package or an image; in a checkout, the
// TypeScript sources through tsx, so `npx chartmogul-sync` works after `npm ci` with no build step and
// never runs a build older than the sources. CHARTMOGUL_SYNC_USE_DIST=1 runs a checkout's build.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const compiled = join(root, 'dist', 'src', 'cli', 'main.js');
const sources = join(root, 'src', 'cli', 'main.ts');
const preferBuild = process.env.CHARTMOGUL_SYNC_USE_DIST === '1' || !existsSync(sources);

if (preferBuild && existsSync(compiled)) {
  require(compiled);
} else if (existsSync(sources)) {
  require('tsx/cjs');
  require(sources);
} else {
  console.error('chartmogul-sync: no build found (dist/) and no sources: run `npm run build`.');
  process.exit(1);
}
