import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The load rooms: the k6 model (src/k6, pure), the harness (src/harness, the emulator) and run orchestration
 * (src/load). Imports go one way — load → harness → k6 — and from outside a room only through its index.ts.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ROOMS = ['src/k6', 'src/harness'] as const;
/** What each room may not import: the rooms above it. */
const ABOVE: Record<string, readonly string[]> = {
  'src/k6': ['src/harness', 'src/load', 'src/distributed', 'src/limit', 'src/cli'],
  'src/harness': ['src/load', 'src/distributed', 'src/limit', 'src/cli'],
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The repository-relative files a source file imports (relative specifiers only). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const spec = m[1] as string;
    out.push(relative(ROOT, resolve(ROOT, dirname(file), spec)));
  }
  return out;
}

const roomOf = (path: string) => ROOMS.find((r) => path === r || path.startsWith(`${r}/`));

describe('load rooms', () => {
  const files = ['src', 'test', 'bench', 'scripts'].flatMap(sources);

  it('finds the rooms and their importers (the check reads real files)', () => {
    expect(files).toContain('src/k6/index.ts');
    expect(files).toContain('src/harness/worker.ts');
    expect(importsOf('src/load/engines.ts')).toContain('src/k6/index.ts');
  });

  it('imports a room from outside only through its index.ts', () => {
    const deep: string[] = [];
    for (const file of files) {
      const own = roomOf(file);
      for (const target of importsOf(file)) {
        const room = roomOf(target);
        if (room !== undefined && room !== own && target !== `${room}/index.ts`)
          deep.push(`${file} → ${target}`);
      }
    }
    expect(deep).toEqual([]);
  });

  it('imports one way: k6 ← harness ← load', () => {
    const upward: string[] = [];
    for (const room of ROOMS) {
      for (const file of sources(room)) {
        if (file.endsWith('.test.ts')) continue;
        for (const target of importsOf(file))
          if ((ABOVE[room] ?? []).some((a) => target.startsWith(`${a}/`))) upward.push(`${file} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
