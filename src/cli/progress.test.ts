import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../load/engines.ts';
import { progressPrinter } from './progress.ts';

const at = (s: number): LoadProgress => ({
  engine: 'harness',
  elapsedMs: s * 1000,
  sent: s * 50,
  byCode: { '1002': s * 50 },
  dropped: 0,
});

function sink(isTTY: boolean): { isTTY: boolean; text: string; write: (t: string) => void } {
  const out = {
    isTTY,
    text: '',
    write: (t: string) => {
      out.text += t;
    },
  };
  return out;
}

describe('progressPrinter (long runs: a live line in a TTY, a line every few seconds in a pipe)', () => {
  it('in a pipe prints one full line per 5 s of run time, with elapsed/total and the rate', () => {
    const out = sink(false);
    const p = progressPrinter(out, { totalMs: 12_000 });
    for (let s = 1; s <= 12; s += 1) p.update(at(s));
    p.done();
    expect(out.text.split('\n').filter(Boolean)).toEqual([
      '[harness] 5s/12s 50 req/s sent=250 1002=250 dropped=0',
      '[harness] 10s/12s 50 req/s sent=500 1002=500 dropped=0',
      '[harness] 12s/12s 50 req/s sent=600 1002=600 dropped=0',
    ]);
    expect(out.text).not.toContain('\r');
  });

  it('in a TTY rewrites one line in place and ends it once', () => {
    const out = sink(true);
    const p = progressPrinter(out);
    for (let s = 1; s <= 3; s += 1) p.update(at(s));
    p.done();
    expect(out.text.match(/\r/g)).toHaveLength(3);
    expect(out.text.endsWith('[harness] 3s 50 req/s sent=150 1002=150 dropped=0\n')).toBe(true);
    expect(out.text.match(/\n/g)).toHaveLength(1);
  });
});
