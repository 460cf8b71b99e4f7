#!/usr/bin/env node
// The evkit CLI. Installed as a package it runs the compiled JavaScript in dist/ (any Node >= 22). Inside a
// checkout, where src/ is present, it runs the TypeScript sources through Node's own type stripping (Node 24
// from node_modules/.bin, or Node >= 22.18), so no build is needed while developing.
import { existsSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
const sources = new URL('../src/cli/main.ts', import.meta.url);
const fromSources = existsSync(sources) && process.env.EVKIT_FROM_DIST !== 'true';
const floor = fromSources ? [22, 18] : [22, 12];
if (major < floor[0] || (major === floor[0] && minor < floor[1])) {
  console.error(
    `error [E_USAGE]: evkit needs Node.js >= ${floor.join('.')} (this is ${process.version}).\n` +
      '  fix: install Node 22 or 24 (or, inside a checkout, run it through npm: npx evkit / npm start).',
  );
  process.exit(2);
}
process.env.PACT_DO_NOT_TRACK ??= 'true';
process.env.SCARF_ANALYTICS ??= 'false';
const { runCli } = await import(fromSources ? sources.href : '../dist/src/cli/main.js');
process.exitCode = await runCli(process.argv.slice(2));
