#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so a fresh checkout works after `npm ci` with no build step.
'use strict';
require('tsx/cjs');
require('../src/cli/main.ts');
