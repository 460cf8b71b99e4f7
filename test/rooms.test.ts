import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house: every folder of src/ (and generators/, contracts/, load/lib/) is a room. Production code enters
 * another room only through its index.ts (the room's face for the rest of evkit); the package's own faces are
 * the public.ts files, which re-export from their room's index.ts. Code that runs inside a k6 bundle (load/)
 * may use the small k6-safe faces instead: an index would pull Node-only modules into the bundle.
 * Rooms import one way: the room graph has no cycle.
 */
const ROOT = resolve(import.meta.dirname, '..');
const PRODUCTION = ['src', 'generators', 'contracts', 'load'] as const;

/** Faces a k6 bundle's code may import beside the indexes, and why. */
const K6_FACES: Readonly<Record<string, string>> = {
  'src/schema/catalog.ts': 'the catalog without zod (the schema index builds zod schemas at load)',
  'src/auth/k6.ts': 'the JWT signer and credentials without the node:crypto seam',
  'generators/case.ts': 'the Case type (the generators index loads json-schema-faker)',
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts'))
      out.push(path);
  }
  return out;
}

/** The room of a repository-relative path, or undefined (src's own files, the k6 scripts, tests). */
function roomOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : undefined;
  if (parts[0] === 'generators' || parts[0] === 'contracts') return parts[0];
  if (parts[0] === 'load' && parts[1] === 'lib') return 'load/lib';
  return undefined;
}

/** The repository-relative files a source imports (static and dynamic, relative specifiers). */
function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g))
    out.push(relative(ROOT, resolve(ROOT, dirname(file), m[1] as string)));
  return out;
}

/** The files a k6 bundle holds: load/ and everything it imports, transitively. */
function bundleClosure(files: ReadonlyMap<string, string>): Set<string> {
  const seen = new Set<string>();
  const queue = [...files.keys()].filter((f) => f.startsWith('load/'));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file) || !files.has(file)) continue;
    seen.add(file);
    queue.push(...importsOf(file, files.get(file) ?? ''));
  }
  return seen;
}

/**
 * Imports that enter another room other than through a face it may use. Code a k6 bundle holds enters other
 * rooms only through the k6-safe faces (or the k6 lib's own index): a room's index would pull Node-only
 * modules into the bundle.
 */
function deepImports(files: ReadonlyMap<string, string>): string[] {
  const deep: string[] = [];
  const bundled = bundleClosure(files);
  for (const [file, text] of files) {
    const own = roomOf(file);
    for (const target of importsOf(file, text)) {
      const room = roomOf(target);
      if (room === undefined || room === own) continue;
      if (bundled.has(file)) {
        if (!(target in K6_FACES) && target !== 'load/lib/index.ts' && target !== 'load/lib/k6.ts')
          deep.push(`${file} → ${target} (bundled)`);
        continue;
      }
      if (target === `${room}/index.ts`) continue;
      // The package root face gathers the subpaths' public faces.
      if (file === 'src/index.ts' && /\/public\.ts$/.test(target)) continue;
      deep.push(`${file} → ${target}`);
    }
  }
  return deep;
}

/** A cycle of rooms, or undefined when the room graph is acyclic. */
function roomCycle(files: ReadonlyMap<string, string>): string[] | undefined {
  const edges = new Map<string, Set<string>>();
  for (const [file, text] of files) {
    const from = roomOf(file);
    if (from === undefined) continue;
    for (const target of importsOf(file, text)) {
      const to = roomOf(target);
      if (to !== undefined && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (room: string): string[] | undefined => {
    if (state.get(room) === 'done') return undefined;
    if (state.get(room) === 'open') return [...stack.slice(stack.indexOf(room)), room];
    state.set(room, 'open');
    stack.push(room);
    for (const next of edges.get(room) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(room, 'done');
    return undefined;
  };
  for (const room of edges.keys()) {
    const cycle = visit(room);
    if (cycle) return cycle;
  }
  return undefined;
}

/** The load rooms and what each may not import: the rooms that run on it (k6 model ← harness ← load). */
const ABOVE: Readonly<Record<string, readonly string[]>> = {
  'src/k6': ['src/harness', 'src/load', 'src/distributed', 'src/limit', 'src/cli'],
  'src/harness': ['src/load', 'src/distributed', 'src/limit', 'src/cli'],
};

const tree = new Map(PRODUCTION.flatMap(sources).map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));

describe('the rooms of the house', () => {
  it('reads the real tree (every room has an index.ts)', () => {
    const rooms = new Set([...tree.keys()].map(roomOf).filter((r) => r !== undefined));
    expect(rooms.size).toBeGreaterThan(15);
    for (const room of rooms) expect(tree.has(`${room}/index.ts`), room).toBe(true);
  });

  it('production code enters another room only through its index.ts (or a k6-safe face from a bundle)', () => {
    expect(deepImports(tree)).toEqual([]);
  });

  it('the check catches a planted deep import, a bundle that would load an index, and a planted cycle', () => {
    const planted = new Map(tree);
    planted.set('src/pact/planted.ts', "import { x } from '../mock/engine.ts';\n");
    expect(deepImports(planted)).toEqual(['src/pact/planted.ts → src/mock/engine.ts']);
    planted.delete('src/pact/planted.ts');
    planted.set(
      'src/auth/jwt.ts',
      `${tree.get('src/auth/jwt.ts')}\nimport { CATALOG } from '../schema/index.ts';\n`,
    );
    expect(deepImports(planted)).toEqual(['src/auth/jwt.ts → src/schema/index.ts (bundled)']);
    planted.set('src/auth/jwt.ts', tree.get('src/auth/jwt.ts') ?? '');
    planted.set('src/schema/planted.ts', "import { startMock } from '../mock/index.ts';\n");
    expect(roomCycle(planted)).toBeDefined();
  });

  it('rooms import one way: no cycle between rooms', () => {
    expect(roomCycle(tree)).toBeUndefined();
  });

  it('every face is curated: named exports; a star only re-exports a curated face of the same room', () => {
    const loose: string[] = [];
    for (const [file, text] of tree) {
      if (!/\/(index|public|k6)\.ts$/.test(file)) continue;
      for (const m of text.matchAll(/export\s+\*(?:\s+as\s+\w+)?\s+from\s+'([^']+)'/g)) {
        const ok =
          (file.endsWith('/index.ts') && m[1] === './public.ts') ||
          (file === 'load/lib/k6.ts' && m[1] === './index.ts');
        if (!ok) loose.push(`${file}: export * from ${m[1]}`);
      }
    }
    expect(loose).toEqual([]);
    expect([...tree.keys()].filter((f) => f.endsWith('/public.ts'))).toHaveLength(6);
  });

  it("the rooms' indexes build on their package faces", () => {
    for (const face of [...tree.keys()].filter((f) => f.endsWith('/public.ts'))) {
      if (face !== 'load/lib/public.ts')
        expect(tree.get(`${dirname(face)}/index.ts`), face).toContain("export * from './public.ts';");
    }
  });

  it('the load rooms import one way: k6 ← harness ← load', () => {
    const upward: string[] = [];
    for (const [file, text] of tree) {
      const above = ABOVE[roomOf(file) ?? ''] ?? [];
      for (const target of importsOf(file, text))
        if (above.some((a) => target.startsWith(`${a}/`))) upward.push(`${file} → ${target}`);
    }
    expect(upward).toEqual([]);
    expect(tree.has('src/k6/index.ts') && tree.has('src/harness/worker.ts')).toBe(true);
  });
});
