/** npm run build: bundle the k6 load scripts into dist/load/ and check that k6 can run each bundle. */
import { relative } from 'node:path';
import { isEvkitError } from '../src/errors.ts';
import { buildLoadScripts, ROOT_DIR } from '../src/load/build.ts';

try {
  const built = await buildLoadScripts();
  for (const b of built)
    process.stdout.write(`${relative(ROOT_DIR, b.file)}  ${b.bytes} bytes  bundle check ok\n`);
} catch (error) {
  if (!isEvkitError(error)) throw error;
  process.stderr.write(`error [${error.code}]: ${error.message}\n  ${error.hint ?? ''}\n`);
  process.exitCode = error.exitCode;
}
