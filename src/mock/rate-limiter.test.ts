import { describe, expect, it } from 'vitest';
import type { Admission } from '../evaluate/types.ts';
import { burstBand } from '../schema/catalog.ts';
import { rateLimitSchema } from '../schema/tenant.ts';
import { createRateLimiter, type RateLimit } from './rate-limiter.ts';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);

function limiterFor(limit: Partial<RateLimit> & { tps: number }) {
  const clock = {
    t: T0,
    now() {
      return this.t;
    },
  };
  const limiter = createRateLimiter([{ id: 't', rateLimit: rateLimitSchema.parse(limit) }], { clock });
  return { limiter, clock };
}

function tally(decisions: readonly Admission[]): Record<Admission, number> {
  const out: Record<Admission, number> = { queued: 0, burst: 0, rejected: 0 };
  for (const d of decisions) out[d] += 1;
  return out;
}

function burstOf(limiter: ReturnType<typeof limiterFor>['limiter'], n: number, weight = 1): Admission[] {
  return Array.from({ length: n }, () => limiter.admit('t', weight));
}

describe('rate limiter, fixed windows aligned to wall-clock seconds', () => {
  it.each([
    { tps: 100, burst: true },
    { tps: 100, burst: false },
    { tps: 1000, burst: true },
    { tps: 1000, burst: false },
    { tps: 1, burst: true },
    { tps: 2000, burst: true },
  ])(
    '$tps TPS, burst $burst: TPS queued, the band in burst, the rest rejected; the next window restores',
    ({ tps, burst }) => {
      const { limiter, clock } = limiterFor({ tps, burst });
      const band = burst ? burstBand(tps) : 0;
      clock.t = T0 + 250;
      expect(tally(burstOf(limiter, tps + band + 37))).toEqual({ queued: tps, burst: band, rejected: 37 });
      // Still the same second: nothing more.
      clock.t = T0 + 999;
      expect(limiter.admit('t', 1)).toBe('rejected');
      clock.t = T0 + 1000;
      expect(tally(burstOf(limiter, tps + band))).toEqual({ queued: tps, burst: band, rejected: 0 });
    },
  );

  it('uses the documented band: 50 at 100 TPS, 100 at 500 and 2000 TPS', () => {
    expect([100, 500, 2000].map(burstBand)).toEqual([50, 100, 100]);
  });

  it('counts events when countBy is events: a request weighs its number of events', () => {
    const { limiter, clock } = limiterFor({ tps: 10, burst: true, countBy: 'events' });
    clock.t = T0;
    expect(limiter.admit('t', 6)).toBe('queued');
    expect(limiter.admit('t', 4)).toBe('queued');
    expect(limiter.admit('t', 5)).toBe('burst');
    expect(limiter.admit('t', 1)).toBe('rejected');
  });

  it('a request heavier than TPS + band is always rejected', () => {
    const { limiter } = limiterFor({ tps: 2, burst: true, countBy: 'events' });
    expect(limiter.admit('t', 4)).toBe('rejected');
    expect(limiter.admit('t', 2)).toBe('queued');
  });
});

describe('rate limiter, sliding one-second window', () => {
  it('admits again only as old admissions leave the last second', () => {
    const { limiter, clock } = limiterFor({ tps: 100, burst: true, window: 'sliding' });
    clock.t = T0 + 500;
    expect(tally(burstOf(limiter, 150))).toEqual({ queued: 100, burst: 50, rejected: 0 });
    // A fixed window would have restored at T0 + 1000; the sliding one waits until T0 + 1500.
    clock.t = T0 + 1200;
    expect(limiter.admit('t', 1)).toBe('rejected');
    clock.t = T0 + 1500;
    expect(tally(burstOf(limiter, 151))).toEqual({ queued: 100, burst: 50, rejected: 1 });
  });

  it('under steady overload each second keeps TPS queued and the band in burst (not all burst)', () => {
    const { limiter, clock } = limiterFor({ tps: 100, burst: true, window: 'sliding' });
    const perSecond: Record<Admission, number>[] = [];
    // 300 req/s, evenly spaced, starting mid-second; count by wall-clock second.
    for (let i = 0; i < 300 * 4; i++) {
      clock.t = T0 + 500 + (i * 1000) / 300;
      const second = Math.floor((clock.t - T0) / 1000);
      perSecond[second] ??= { queued: 0, burst: 0, rejected: 0 };
      (perSecond[second] as Record<Admission, number>)[limiter.admit('t', 1)] += 1;
    }
    for (const s of perSecond.slice(1, 4)) expect(s).toEqual({ queued: 100, burst: 50, rejected: 150 });
  });

  it('spreads evenly: 10 requests every 100 ms are all queued at 100 TPS', () => {
    const { limiter, clock } = limiterFor({ tps: 100, burst: false, window: 'sliding' });
    const out: Admission[] = [];
    for (let ms = 0; ms < 5000; ms += 100) {
      clock.t = T0 + ms;
      out.push(...burstOf(limiter, 10));
    }
    expect(tally(out)).toEqual({ queued: 500, burst: 0, rejected: 0 });
  });
});

describe('burst budget (seconds of burst per wall-clock minute)', () => {
  it('allows burst in at most N distinct seconds of a minute, then rejects beyond TPS', () => {
    const { limiter, clock } = limiterFor({ tps: 10, burst: true, burstBudgetSeconds: 2 });
    const perSecond: Record<Admission, number>[] = [];
    for (let s = 0; s < 4; s++) {
      clock.t = T0 + s * 1000;
      perSecond.push(tally(burstOf(limiter, 20)));
    }
    expect(perSecond).toEqual([
      { queued: 10, burst: 5, rejected: 5 },
      { queued: 10, burst: 5, rejected: 5 },
      { queued: 10, burst: 0, rejected: 10 },
      { queued: 10, burst: 0, rejected: 10 },
    ]);
    clock.t = T0 + 60_000;
    expect(tally(burstOf(limiter, 20))).toEqual({ queued: 10, burst: 5, rejected: 5 });
  });
});

describe('modes, configure and reset', () => {
  it('reject-all rejects everything; burst-all relabels admitted requests; reset restores', () => {
    const { limiter } = limiterFor({ tps: 2, burst: false });
    limiter.setMode('reject-all');
    expect(burstOf(limiter, 2)).toEqual(['rejected', 'rejected']);
    limiter.setMode('burst-all');
    expect(burstOf(limiter, 3)).toEqual(['burst', 'burst', 'rejected']);
    limiter.reset();
    expect(burstOf(limiter, 3)).toEqual(['queued', 'queued', 'rejected']);
  });

  it('configure replaces the limit and empties the windows', () => {
    const { limiter } = limiterFor({ tps: 1, burst: false });
    expect(burstOf(limiter, 2)).toEqual(['queued', 'rejected']);
    limiter.configure('t', rateLimitSchema.parse({ tps: 3, burst: false }));
    expect(tally(burstOf(limiter, 4))).toEqual({ queued: 3, burst: 0, rejected: 1 });
  });
});

describe('sliding window memory', () => {
  it('a huge TPS allocates nothing up front, and the ring grows as admissions come', () => {
    const { limiter, clock } = limiterFor({ tps: 1_000_000_000, burst: true, window: 'sliding' });
    clock.t = T0;
    expect(tally(burstOf(limiter, 5000))).toEqual({ queued: 5000, burst: 0, rejected: 0 });
    const small = limiterFor({ tps: 300, burst: true, window: 'sliding' });
    small.clock.t = T0 + 10;
    expect(tally(burstOf(small.limiter, 500))).toEqual({ queued: 300, burst: 100, rejected: 100 });
    small.clock.t = T0 + 1011;
    expect(tally(burstOf(small.limiter, 400))).toEqual({ queued: 300, burst: 100, rejected: 0 });
  });
});
