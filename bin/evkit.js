#!/usr/bin/env node
// The evkit CLI. Installed as a package it runs the compiled JavaScript in dist/. Inside a checkout, where src/
// is present, it runs the TypeScript sources through Node's own type stripping (Node 24 from node_modules/.bin),
// so no build is needed while developing. Either way Node >= 22.19 (undici's floor; type stripping needs 22.18).
import { existsSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
const sources = new URL('../src/cli/main.ts', import.meta.url);
const fromSources = existsSync(sources) && process.env.EVKIT_FROM_DIST !== 'true';
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(
    `error [E_USAGE]: evkit needs Node.js >= 22.19 (this is ${process.version}).\n` +
      '  fix: install Node 22 (22.19 or later) or 24; inside a checkout, npx evkit / npm start use the Node 24 of node_modules/.bin.',
  );
  process.exit(2);
}
process.env.PACT_DO_NOT_TRACK ??= 'true';
process.env.SCARF_ANALYTICS ??= 'false';
const { runCli } = await import(fromSources ? sources.href : '../dist/src/cli/main.js');
process.exitCode = await runCli(process.argv.slice(2));
