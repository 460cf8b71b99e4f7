import { dirname } from 'node:path';
import { EvkitError } from './errors.ts';

/** Why an output path cannot be written, by errno code, and how to fix it. */
const OUTPUT_FAULTS: Readonly<Record<string, (path: string) => { why: string; fix: string }>> = {
  ENOENT: (path) => ({
    why: `the folder ${dirname(path)} does not exist`,
    fix: `create it first (mkdir -p ${dirname(path)}) or write somewhere else`,
  }),
  ENOTDIR: (path) => ({
    why: `a part of ${dirname(path)} is a file, not a folder`,
    fix: 'choose a path under a folder',
  }),
  EISDIR: (path) => ({ why: `${path} is a folder`, fix: 'name a file inside it' }),
  EEXIST: (path) => ({ why: `${path} is a file, not a folder`, fix: 'name a folder, or remove the file' }),
  EACCES: (path) => ({ why: `no permission to write ${path}`, fix: 'write somewhere you may write' }),
  EROFS: (path) => ({ why: `${path} is on a read-only file system`, fix: 'write somewhere else' }),
};

/** A file-system error on a path the user named, as a usage error (exit 2) with the fix; others unchanged. */
export function outputError(cause: unknown, path: string, what = 'the output'): unknown {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const fault = code === undefined ? undefined : OUTPUT_FAULTS[code];
  if (!fault) return cause;
  const { why, fix } = fault(path);
  return new EvkitError('E_USAGE', `cannot write ${what} ${path}: ${why}`, {
    details: { path, code },
    hint: fix,
    cause,
  });
}
