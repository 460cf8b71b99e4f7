#!/usr/bin/env node
// The evkit CLI runs the TypeScript sources directly through Node's own type stripping (Node >= 22.19: type stripping needs 22.18, undici 22.19).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(
    `error [E_USAGE]: evkit needs Node.js >= 22.19 (this is ${process.version}).\n` +
      '  fix: run it through npm (npx evkit / npm start), which uses the Node 24 of node_modules/.bin, or install Node 24.',
  );
  process.exit(2);
}
process.env.PACT_DO_NOT_TRACK ??= 'true';
process.env.SCARF_ANALYTICS ??= 'false';
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
