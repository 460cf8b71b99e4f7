import { closeSync, openSync, writeSync } from 'node:fs';

/** A buffered line writer for k6-style `--out json` output (synchronous, flushed in large blocks). */
export function createLineWriter(file: string): { write(line: string): void; close(): void } {
  const fd = openSync(file, 'w');
  let buffer: string[] = [];
  let size = 0;
  const flush = () => {
    if (buffer.length === 0) return;
    writeSync(fd, `${buffer.join('\n')}\n`);
    buffer = [];
    size = 0;
  };
  return {
    write(line) {
      buffer.push(line);
      size += line.length;
      if (size > 1 << 20) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}
