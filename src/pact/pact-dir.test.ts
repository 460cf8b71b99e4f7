import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEvkitError } from '../errors.ts';
import { PACT_MARKER, preparePactDir, writeMarker } from './pact-dir.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'evkit-pact-dir-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const ownPact = JSON.stringify({ consumer: { name: 'evkit-client' }, provider: { name: 'p' } });

function refusal(dir: string): { code: string; exit: number; message: string } {
  try {
    preparePactDir(dir);
  } catch (e) {
    if (isEvkitError(e)) return { code: e.code, exit: e.exitCode, message: e.message };
    throw e;
  }
  throw new Error('preparePactDir did not refuse');
}

describe('preparePactDir (issue 14, item 1: never delete what evkit did not write)', () => {
  it('refuses a folder of foreign files (exit 2) and leaves every file in place', () => {
    const dir = join(root, 'scratch');
    mkdirSync(join(dir, 'notes'), { recursive: true });
    writeFileSync(join(dir, 'thesis.md'), 'mine');
    writeFileSync(join(dir, 'data.json'), '{"consumer":{"name":"someone-else"}}');
    const r = refusal(dir);
    expect(r).toMatchObject({ code: 'E_PACTS_DIR', exit: 2 });
    expect(r.message).toContain('evkit did not write');
    expect(readdirSync(dir).sort()).toEqual(['data.json', 'notes', 'thesis.md']);
  });

  it('removes only the files its marker lists; files added later stay', () => {
    const dir = join(root, 'pacts');
    mkdirSync(dir);
    writeFileSync(join(dir, 'evkit-client-p.json'), ownPact);
    writeMarker(dir, ['evkit-client-p.json']);
    writeFileSync(join(dir, 'README.md'), 'mine');
    preparePactDir(dir);
    expect(readdirSync(dir).sort()).toEqual([PACT_MARKER, 'README.md']);
  });

  it('accepts a folder of our own pact files written before the marker existed', () => {
    const dir = join(root, 'pacts');
    mkdirSync(dir);
    writeFileSync(join(dir, 'evkit-client-p.json'), ownPact);
    preparePactDir(dir);
    expect(readdirSync(dir)).toEqual([PACT_MARKER]);
  });

  it('creates a missing folder; a path that is a file or under a file is exit 2, not ENOTDIR', () => {
    preparePactDir(join(root, 'new', 'pacts'));
    expect(existsSync(join(root, 'new', 'pacts', PACT_MARKER))).toBe(true);
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expect(refusal(file)).toMatchObject({ code: 'E_PACTS_DIR', exit: 2 });
    expect(refusal(join(file, 'pacts'))).toMatchObject({ code: 'E_PACTS_DIR', exit: 2 });
    expect(readdirSync(root).sort()).toEqual(['a-file', 'new']);
  });
});
