/**
 * The rate limit at 100 and 1000 TPS, burst on and off, counted by the mock's own per-window counters.
 * The windows run on an injected clock, so a busy machine cannot move requests between windows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockCounters, RateWindowCount } from '../src/mock/counters.ts';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import { burstBand, DESCRIPTION } from '../src/schema/catalog.ts';
import { control, keepAliveAgent, pool, postEvents } from './mock-helpers.ts';

const SECOND = 1000;
const body = { events: [{ evtid: '4451' }] };

interface Tally {
  queued: number;
  burst: number;
  rejected: number;
}

async function fire(url: string, n: number, agent: ReturnType<typeof keepAliveAgent>): Promise<Tally> {
  const out: Tally = { queued: 0, burst: 0, rejected: 0 };
  await pool(Array.from({ length: n }), 50, async () => {
    const a = await postEvents(url, body, { key: 'evkit-demo-key' }, { agent });
    const r = (
      a.json as { response: { code: string; description: string } | { code: string; description: string }[] }
    ).response;
    const entry = Array.isArray(r) ? r[0] : r;
    if (entry?.code === '7020') out.rejected += 1;
    else if (entry?.description === DESCRIPTION.queuedInBurstMode) out.burst += 1;
    else if (entry?.code === '1002') out.queued += 1;
  });
  return out;
}

async function windows(url: string): Promise<RateWindowCount[]> {
  return ((await control(url, '/counters', undefined, 'GET')).json as MockCounters).windows;
}

const within2Percent = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.ceil(expected * 0.02));

describe('rate limit by the mock’s own per-window counters (injected clock)', () => {
  const clock = { t: Date.UTC(2026, 0, 1, 0, 0, 0), now: () => clock.t };
  const agent = keepAliveAgent(50);
  let mock: MockHandle;
  beforeAll(async () => {
    mock = await startMock({ rateClock: clock });
  });
  afterAll(async () => {
    agent.destroy();
    await mock.close();
  });

  it.each([
    { tps: 100, burst: true },
    { tps: 100, burst: false },
    { tps: 1000, burst: true },
    { tps: 1000, burst: false },
  ])(
    '$tps TPS, burst $burst: TPS + band accepted per window, the rest 7020, the next window restores',
    async ({ tps, burst }) => {
      await control(mock.url, '/reset');
      expect((await control(mock.url, '/tenant', { rateLimit: { tps, burst } })).status).toBe(200);
      const band = burst ? burstBand(tps) : 0;
      const extra = Math.ceil((tps + band) / 2);
      const w1 = clock.t - (clock.t % SECOND) + 10 * SECOND;
      clock.t = w1 + 300;
      const first = await fire(mock.url, tps + band + extra, agent);
      clock.t = w1 + SECOND + 1;
      const second = await fire(mock.url, tps + band, agent);

      // What the clients saw.
      expect(first).toEqual({ queued: tps, burst: band, rejected: extra });
      expect(second).toEqual({ queued: tps, burst: band, rejected: 0 });
      // What the mock counted per window.
      const counted = (await windows(mock.url)).filter((w) => w.start === w1 || w.start === w1 + SECOND);
      expect(counted).toHaveLength(2);
      const [a, b] = counted as [RateWindowCount, RateWindowCount];
      within2Percent(a.queued + a.burst, tps + band);
      expect(a).toEqual({ start: w1, tenantId: 'default', queued: tps, burst: band, rejected: extra });
      expect(b).toEqual({ start: w1 + SECOND, tenantId: 'default', queued: tps, burst: band, rejected: 0 });
      const counters = (await control(mock.url, '/counters', undefined, 'GET')).json as MockCounters;
      expect(counters.byCode['7020']).toBe(extra);
      expect(counters.byCode['1002']).toBe(2 * (tps + band));
      expect(counters.burst).toBe(2 * band);
    },
  );

  it('a sliding window restores one second after the admissions, not at the wall-clock second', async () => {
    await control(mock.url, '/reset');
    await control(mock.url, '/tenant', { rateLimit: { tps: 100, burst: true, window: 'sliding' } });
    const w1 = clock.t - (clock.t % SECOND) + 10 * SECOND;
    clock.t = w1 + 600;
    expect(await fire(mock.url, 160, agent)).toEqual({ queued: 100, burst: 50, rejected: 10 });
    clock.t = w1 + SECOND + 100;
    expect(await fire(mock.url, 5, agent)).toEqual({ queued: 0, burst: 0, rejected: 5 });
    clock.t = w1 + SECOND + 601;
    expect(await fire(mock.url, 150, agent)).toEqual({ queued: 100, burst: 50, rejected: 0 });
    // The counters still report wall-clock-aligned seconds.
    const counted = (await windows(mock.url)).filter((w) => w.start >= w1);
    expect(counted.map((w) => [w.start - w1, w.queued + w.burst, w.rejected])).toEqual([
      [0, 150, 10],
      [SECOND, 150, 5],
    ]);
  });

  it('counting events: a 5-event request weighs 5', async () => {
    await control(mock.url, '/reset');
    await control(mock.url, '/tenant', { rateLimit: { tps: 10, burst: false, countBy: 'events' } });
    clock.t += 5 * SECOND;
    const five = { events: Array.from({ length: 5 }, () => ({ evtid: '4451' })) };
    const codes = [];
    for (let i = 0; i < 3; i++) {
      const r = (await postEvents(mock.url, five)).json as {
        response: { code: string } | { code: string }[];
      };
      codes.push(Array.isArray(r.response) ? r.response.map((e) => e.code).join() : r.response.code);
    }
    expect(codes).toEqual(['1002,1002,1002,1002,1002', '1002,1002,1002,1002,1002', '7020']);
  });
});

describe('rate limit on the real clock', () => {
  let mock: MockHandle;
  const agent = keepAliveAgent(50);
  beforeAll(async () => {
    mock = await startMock();
    // Burst mode is an opt-in (off in the default tenant).
    await control(mock.url, '/tenant', { rateLimit: { burst: true } });
  });
  afterAll(async () => {
    agent.destroy();
    await mock.close();
  });

  it('100 TPS with burst: no window admits more than 150, and every window that rejected admitted exactly 150', async () => {
    // Fire until some window rejected (at most 5 rounds), so the check below never passes on zero samples.
    let sent = 0;
    let rejected = 0;
    for (let round = 0; round < 5 && rejected === 0; round++) {
      const seen = await fire(mock.url, 600, agent);
      sent += 600;
      rejected += seen.rejected;
    }
    const counted = await windows(mock.url);
    expect(counted.reduce((n, w) => n + w.queued + w.burst + w.rejected, 0)).toBe(sent);
    expect(counted.reduce((n, w) => n + w.rejected, 0)).toBe(rejected);
    expect(rejected).toBeGreaterThan(0);
    for (const w of counted) {
      expect(w.queued).toBeLessThanOrEqual(100);
      expect(w.queued + w.burst).toBeLessThanOrEqual(150);
      if (w.rejected > 0) expect([w.queued, w.burst]).toEqual([100, 50]);
      expect(w.start % SECOND).toBe(0);
    }
  });
});
