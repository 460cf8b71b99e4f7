import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  ERRORS,
  type ErrorCode,
  EvkitError,
  EXIT,
  errorFrom,
  FAMILY_EXIT,
  isErrorCode,
  isEvkitError,
} from './errors.ts';
import { outputError } from './fs-errors.ts';

const ROOT = join(import.meta.dirname, '..');

/** The TypeScript files of the production folders (not tests). */
function productionFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return productionFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('the error table', () => {
  it('maps every code to the exit code of its family', () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(ERROR_CODES[code as ErrorCode], code).toBe(FAMILY_EXIT[spec.family]);
    }
    expect(new EvkitError('E_USAGE', 'x').exitCode).toBe(EXIT.usage);
    expect(new EvkitError('E_CHECK_FAILED', 'x', { details: { deployable: false } }).exitCode).toBe(
      EXIT.checkFailed,
    );
    expect(new EvkitError('E_INTERNAL', 'x').exitCode).toBe(EXIT.internal);
  });

  it('writes the fix from the details, once, in the table', () => {
    const error = new EvkitError('E_UNKNOWN_SCRIPT', 'unknown script "x"', {
      details: { script: 'x', known: ['throughput', 'rate-limit'] },
    });
    expect(error.hint).toBe('use throughput, rate-limit, or the path of a k6 bundle (.js)');
    expect(new EvkitError('E_FLAGS', 'm', { details: { flags: ['--a', '--b'], rule: 'one-of' } }).hint).toBe(
      'pass one',
    );
    expect(
      new EvkitError('E_SETTING', 'm', {
        details: { origin: { kind: 'env', name: 'EVKIT_RATE' }, value: 'fast', example: '50' },
      }).hint,
    ).toBe('e.g. EVKIT_RATE=50, or unset it');
    expect(new EvkitError('E_INTERNAL', 'no fix applies').hint).toBeUndefined();
  });

  it('a file-system fault on an output path gets its fix from the table; other errors pass unchanged', () => {
    const enoent = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    const error = outputError(enoent, 'missing/dir/report.json', 'the report');
    expect(isEvkitError(error) && error.code).toBe('E_OUTPUT');
    expect((error as EvkitError).hint).toBe('create it first (mkdir -p missing/dir) or write somewhere else');
    const other = Object.assign(new Error('odd'), { code: 'EIO' });
    expect(outputError(other, 'x')).toBe(other);
  });

  it('an error rebuilt from its code and details (a child process answer) has the same fix', () => {
    const original = new EvkitError('E_PACTS_DIR', 'the pacts folder p is a file', {
      details: { dir: 'p', problem: 'file' },
    });
    const copy = errorFrom(original.code, original.message, structuredClone(original.details));
    expect(copy.code).toBe('E_PACTS_DIR');
    expect(copy.hint).toBe(original.hint);
    expect(isErrorCode('E_PACTS_DIR')).toBe(true);
    expect(isErrorCode('E_NOPE')).toBe(false);
  });

  it('types the details by code', () => {
    // @ts-expect-error E_UNKNOWN_SCRIPT needs its details
    void new EvkitError('E_UNKNOWN_SCRIPT', 'm');
    // @ts-expect-error a rule outside the table is refused
    void new EvkitError('E_FLAGS', 'm', { details: { flags: [], rule: 'no-such-rule' } });
    // @ts-expect-error the fix is not the throw site's to write
    void new EvkitError('E_USAGE', 'm', { hint: 'do this' });
    expect(true).toBe(true);
  });

  it('no throw site writes a fix of its own (every fix is in the table)', () => {
    const offenders: string[] = [];
    for (const dir of ['src', 'generators', 'contracts', 'load']) {
      for (const file of productionFiles(join(ROOT, dir))) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/new EvkitError\([^;]*?\bhint\s*:/gs)) {
          offenders.push(`${file.slice(ROOT.length + 1)}: ${match[0].slice(0, 60)}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('docs/errors.md', () => {
  it('lists every code with its family, and no code the table lacks', () => {
    const text = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
    const rows = [...text.matchAll(/^\| `(E_[A-Z0-9_]+)` \| ([a-z]+) \|/gm)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(Object.entries(ERRORS).map(([code, spec]) => [code, spec.family])),
    );
  });
});
