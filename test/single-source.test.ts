import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESCRIPTION, FIELD, RESPONSE_CODES, RESPONSE_FIELD } from '../src/schema/catalog.ts';
import { ROOT } from './helpers/cli.ts';
import { codeLiteralOccurrences, quotedOccurrences, stripComments } from './helpers/source-scan.ts';

/** Production sources outside the schema module (tests may spell values out: that is what they assert). */
function productionSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && name !== 'fixtures') walk(path);
      } else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) out.push(path);
    }
  };
  for (const dir of ['src', 'generators', 'contracts', 'load', 'bench']) {
    try {
      walk(join(ROOT, dir));
    } catch {
      // A folder that does not exist yet holds no sources.
    }
  }
  return out.filter((p) => !relative(ROOT, p).startsWith(join('src', 'schema')));
}

describe('one source of truth', () => {
  const files = productionSources();
  const checks = [
    ...Object.values(DESCRIPTION).map((v) => ({ kind: 'description', value: v })),
    // Field names distinctive enough to scan for; generic words (code, events) also name other things.
    ...[FIELD.evtid, FIELD.correlationid, FIELD.notifyurl, RESPONSE_FIELD.transid].map((v) => ({
      kind: 'field name',
      value: v,
    })),
  ];

  it('finds sources to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('no API description string or field name is spelled out outside src/schema', () => {
    const offences: string[] = [];
    for (const file of files) {
      const text = stripComments(readFileSync(file, 'utf8'));
      for (const c of checks) {
        if (quotedOccurrences(text, c.value) > 0)
          offences.push(`${relative(ROOT, file)}: ${c.kind} ${JSON.stringify(c.value)}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('no response code is spelled as a value outside src/schema (the catalog names them: CODE)', () => {
    const offences: string[] = [];
    for (const file of files) {
      const text = stripComments(readFileSync(file, 'utf8'));
      for (const code of RESPONSE_CODES) {
        if (codeLiteralOccurrences(text, code) > 0) offences.push(`${relative(ROOT, file)}: code ${code}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('the code scanner finds a planted literal (it can fail)', () => {
    const planted = stripComments(
      [
        "if (answer.code === '7020') retry();",
        'const kind = { "7005": "internal-error" };',
        'type Accepted = `1002`;',
        'const threshold = `evkit_responses{code:1002}`;',
      ].join('\n'),
    );
    expect(codeLiteralOccurrences(planted, '7020')).toBe(1);
    expect(codeLiteralOccurrences(planted, '7005')).toBe(1);
    expect(codeLiteralOccurrences(planted, '1002')).toBe(2);
    const clean = stripComments(
      "// answers '7020'\n/** \"1002\" */\nif (code === CODE.rateLimited) log('no 7020 after backing off');",
    );
    for (const code of RESPONSE_CODES) expect(codeLiteralOccurrences(clean, code), code).toBe(0);
    expect(codeLiteralOccurrences("x = '17020'", '7020')).toBe(0);
  });

  it('the scanner finds a re-declared description (it can fail)', () => {
    expect(quotedOccurrences(`const d = 'Queued in burst mode';`, DESCRIPTION.queuedInBurstMode)).toBe(1);
    expect(quotedOccurrences('x = "evtid"', FIELD.evtid)).toBe(1);
    expect(quotedOccurrences('x.evtid', FIELD.evtid)).toBe(0);
    expect(
      quotedOccurrences(
        stripComments('/** answered "Queued" */ // "Queued"\nconst u = "http://x";'),
        'Queued',
      ),
    ).toBe(0);
    expect(stripComments('const u = "http://x";')).toContain('http://x');
  });
});
