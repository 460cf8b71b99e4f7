import { writeFileSync } from 'node:fs';
import { outputError } from '../fs-errors.ts';

export { outputError } from '../fs-errors.ts';
export { renderTable } from '../text-table.ts';

/** Where progress and human notes go: stderr, so stdout stays clean for data. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Write a file the user named; a missing folder or a file in the way is exit 2 with the fix. */
export function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (cause) {
    throw outputError(cause, path);
  }
}
