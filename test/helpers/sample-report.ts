import { createRandom } from '../../src/random.ts';
import { type RunReport, runReportSchema } from '../../src/report/index.ts';
import { burstBand, CODE, EVENT_PATH, FIELD, HEADER } from '../../src/schema/index.ts';

/** Options of the sample report. */
export interface SampleOptions {
  readonly runId?: string;
  readonly seconds?: number;
  /** The tenant's provisioned rate; the burst band adds `burstBand(tps)` on top. */
  readonly tps?: number;
  readonly seed?: number;
  /** Make the accepted rate leak past the limit, so a threshold fails and a failing case is listed. */
  readonly leaky?: boolean;
  readonly startedAt?: string;
}

const percentiles = (count: number, base: number) => ({
  count,
  min: base * 0.3,
  avg: base * 1.1,
  p50: base,
  p90: base * 1.8,
  p95: base * 2.3,
  p99: base * 4.1,
  max: base * 9.5,
});

/**
 * A realistic `rate-limit` run (a ramp from half the limit to well above it and back, with the 7020 onset and
 * recovery marked), for tests, docs and previews of the writers. Seeded: the same options give the same report.
 */
export function sampleLoadReport(options: SampleOptions = {}): RunReport {
  const { seconds = 60, tps = 200, seed = 42, leaky = false } = options;
  const random = createRandom(seed);
  const limit = tps + burstBand(tps);
  const peakAt = Math.round(seconds * (2 / 3));
  const target = (t: number) =>
    Math.round(t <= peakAt ? 100 + (300 * t) / peakAt : 400 - (300 * (t - peakAt)) / (seconds - peakAt));
  const t = Array.from({ length: seconds }, (_, i) => i);
  const s = {
    targetRate: t.map(target),
    sent: [] as number[],
    dropped: [] as number[],
    burst: [] as number[],
    ok: [] as number[],
    limited: [] as number[],
    invalid: [] as number[],
    other: [] as number[],
  };
  for (const rate of s.targetRate) {
    const dropped = rate > 380 ? random.int(0, 3) : 0;
    const sent = rate - dropped;
    const invalid = random.next() < 0.2 ? 1 : 0;
    const other = rate > 390 && random.next() < 0.5 ? 1 : 0;
    const cap = leaky ? Math.round(limit * 1.25) : limit;
    const accepted = Math.min(sent - invalid - other, cap);
    s.sent.push(sent);
    s.dropped.push(dropped);
    s.ok.push(accepted);
    s.burst.push(Math.max(0, accepted - tps));
    s.limited.push(sent - invalid - other - accepted);
    s.invalid.push(invalid);
    s.other.push(other);
  }
  const total = (values: readonly number[]) => values.reduce((a, v) => a + v, 0);
  const onset = s.limited.findIndex((v) => v > 0);
  const recovered = s.limited.findLastIndex((v) => v > 0) + 1;
  const peakAccepted = Math.max(...s.ok);
  const accepted = total(s.ok);
  const limited = total(s.limited);
  const requests = total(s.sent);
  const withinLimit = peakAccepted <= limit * 1.05;
  const offered = [100, 150, 200, 250, 300, 350, 400];
  const url = `http://127.0.0.1:8080${EVENT_PATH}`;
  const body = JSON.stringify({ [FIELD.events]: [{ [FIELD.evtid]: 'order_shipped' }] });
  return runReportSchema.parse({
    version: 1,
    runId: options.runId ?? '20260101T000000000Z-load-sample',
    kind: 'load',
    title: `rate-limit: ramp 100 → 400 → 100 req/s against TPS ${tps}`,
    startedAt: options.startedAt ?? '2026-01-01T00:00:00.000Z',
    durationMs: seconds * 1000,
    engine: 'harness',
    script: 'rate-limit',
    target: url,
    seed,
    config: { startRate: 100, peakRate: 400, duration: `${seconds}s`, eventsPerRequest: 1, tps, burst: true },
    totals: {
      requests,
      byCode: {
        [CODE.queued]: accepted,
        [CODE.invalidParameters]: total(s.invalid),
        [CODE.rateLimited]: limited,
        other: total(s.other),
      },
      burst: total(s.burst),
      dropped: total(s.dropped),
    },
    series: {
      t,
      byCode: {
        [CODE.queued]: s.ok,
        [CODE.invalidParameters]: s.invalid,
        [CODE.rateLimited]: s.limited,
        other: s.other,
      },
      burst: s.burst,
      sent: s.sent,
      dropped: s.dropped,
      targetRate: s.targetRate,
    },
    latency: {
      overall: percentiles(requests, 3.2),
      accepted: percentiles(accepted, 3.6),
      rejected: percentiles(limited, 1.4),
      error: percentiles(total(s.invalid) + total(s.other), 2.2),
    },
    markers: [
      { t: onset, label: '7020 onset' },
      { t: recovered, label: 'recovered' },
    ],
    thresholds: [
      {
        name: `accepted per second ≤ ${Math.round(limit * 1.05)} (TPS ${tps} + burst band ${burstBand(tps)}, +5%)`,
        ok: withinLimit,
        detail: `peak ${peakAccepted}/s`,
      },
      { name: 'p(95) latency of accepted < 200 ms', ok: true, detail: 'p(95) = 8.28 ms' },
      {
        name: 'dropped iterations < 1%',
        ok: true,
        detail: `${total(s.dropped)} of ${requests + total(s.dropped)}`,
      },
    ],
    checks: [
      { name: '7020 starts after the ramp crosses the limit', ok: true, detail: `onset at ${onset} s` },
      { name: 'recovers within 5 s of backing off', ok: true, detail: `recovered at ${recovered} s` },
    ],
    sections: [
      {
        title: 'Accepted rate by offered rate',
        text: `Accepted requests per second at each offered rate; the limit is TPS ${tps} + burst band ${burstBand(tps)}.`,
        charts: [
          {
            title: 'Accepted vs offered',
            xLabel: 'offered req/s',
            yLabel: 'accepted req/s',
            x: offered,
            lines: [
              { label: 'accepted', values: offered.map((o) => Math.min(o, leaky ? limit * 1.25 : limit)) },
              { label: 'limit', values: offered.map(() => limit) },
            ],
            markers: [{ x: limit, label: 'TPS + burst' }],
          },
        ],
      },
    ],
    failures: withinLimit
      ? []
      : [
          {
            description: `accepted ${peakAccepted}/s, above the limit of ${limit}/s`,
            curl: `curl -sS -X POST '${url}' -H '${HEADER.contentType}: application/json' -H "${HEADER.key}: $EVKIT_KEY" --data '${body}'`,
          },
        ],
    ok: withinLimit,
  });
}
