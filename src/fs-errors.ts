import { dirname } from 'node:path';
import { EvkitError, OUTPUT_FAULT_FIX, type OutputFaultCode } from './errors.ts';

/** Why an output path cannot be written, by errno code (the fixes are in the error table). */
const OUTPUT_FAULT_WHY: { readonly [C in OutputFaultCode]: (path: string) => string } = {
  ENOENT: (path) => `the folder ${dirname(path)} does not exist`,
  ENOTDIR: (path) => `a part of ${dirname(path)} is a file, not a folder`,
  EISDIR: (path) => `${path} is a folder`,
  EEXIST: (path) => `${path} is a file, not a folder`,
  EACCES: (path) => `no permission to write ${path}`,
  EROFS: (path) => `${path} is on a read-only file system`,
};

function isOutputFault(code: string | undefined): code is OutputFaultCode {
  return code !== undefined && Object.hasOwn(OUTPUT_FAULT_FIX, code);
}

/** A file-system error on a path the user named, as a usage error (exit 2) with the fix; others unchanged. */
export function outputError(cause: unknown, path: string, what = 'the output'): unknown {
  const code = (cause as NodeJS.ErrnoException)?.code;
  if (!isOutputFault(code)) return cause;
  return new EvkitError('E_OUTPUT', `cannot write ${what} ${path}: ${OUTPUT_FAULT_WHY[code](path)}`, {
    details: { path, code },
    cause,
  });
}
