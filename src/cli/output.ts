export { renderTable } from '../text-table.ts';

/** Where progress and human notes go: stderr, so stdout stays clean for data. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
