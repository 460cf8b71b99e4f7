import {
  burstBand,
  CODE,
  DESCRIPTION,
  FIELD,
  mandatoryParamDescription,
  RATE_LIMIT_CODE,
} from '../schema/index.ts';
import { type AnswerEntry, answerCode, type ProbeAnswer, templateName } from './answer.ts';

/** How a probe authenticates: the runner turns this into headers from the environment's credentials. */
export type AuthSpec = 'key' | 'none' | 'empty-key' | 'wrong-key' | 'jwt' | 'bare-jwt';

/** Every behaviour a probe run judges: the evaluator options, the rate limit's settings, the answer forms. */
export const BEHAVIOUR_IDS = [
  'unknownFields',
  'evtidAsNumber',
  'emptyKey',
  'nullEvents',
  'expiryOffsets',
  'bearerPrefix',
  'mandatoryParamDescription',
  'transidSuffixes',
  'countBy',
  'burst',
  'window',
  'conformance',
] as const;
export type BehaviourId = (typeof BEHAVIOUR_IDS)[number];

/** What a probe run needs to know of the target's tenant: a plain event, an event with a mandatory parameter, the TPS. */
export interface ProbeContext {
  /** An event id the tenant knows, with no mandatory parameters. */
  readonly evtid: string;
  /** An event id with at least one mandatory parameter, when the user names one. */
  readonly mandatoryEvtid: string | undefined;
  /** The provisioned TPS; the rate-limit probes are planned only when it is known. */
  readonly tps: number | undefined;
  /** Whether JWT credentials are available (the bare-JWT probe needs them). */
  readonly jwt: boolean;
}

/** When a probe is sent, beyond the pacing: after a quiet gap, at a point of a wall-clock second, or right after the previous probe. */
export interface ProbeTiming {
  /** At least this long after the previous request (an empty rate window). */
  readonly quietMs?: number;
  /** Sent at this fraction of a wall-clock second (0..1). */
  readonly atSecondFraction?: number;
  /** Exactly this long after the previous probe (the second request of a window pair). */
  readonly afterPreviousMs?: number;
}

/** One request of the plan, with the behaviour it tells apart and how to read its answer. */
export interface Probe {
  readonly id: string;
  readonly behaviour: BehaviourId;
  /** What it tells apart, in words (docs/probe.md repeats these). */
  readonly purpose: string;
  readonly auth: AuthSpec;
  /** The body text; a function of the send time for expiry probes. */
  readonly body: (nowMs: number) => string;
  /** How many events the body holds (0 when it has no event array). */
  readonly events: number;
  readonly timing?: ProbeTiming;
  /** The alternative the answer matches, or undefined when it matches none. */
  readonly classify: (answer: ProbeAnswer) => string | undefined;
}

/** The quiet gap before a rate-limit probe, so that its window holds nothing else. */
export const QUIET_MS = 1100;
/** The second request of a window pair follows its first this long after (inside one sliding second). */
export const PAIR_GAP_MS = 700;
/** The band request of the burst probe follows the request that fills the window this long after. */
export const BURST_GAP_MS = 100;

const byCode =
  (table: Readonly<Record<string, string>>) =>
  (answer: ProbeAnswer): string | undefined => {
    const code = answerCode(answer);
    return code === undefined ? undefined : table[code];
  };

const event = (evtid: string | number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  [FIELD.evtid]: evtid,
  [FIELD.correlationid]: 'evkit-probe',
  ...extra,
});
const bodyOf = (value: unknown) => (): string => JSON.stringify(value);
const eventsBody = (evtid: string, n: number) =>
  bodyOf({ [FIELD.events]: Array.from({ length: n }, () => event(evtid)) });

/** An expiry one hour ahead, written with a +05:30 offset. */
export function offsetExpiry(nowMs: number): string {
  const shifted = new Date(nowMs + 3_600_000 + 330 * 60_000).toISOString().slice(0, 19);
  return `${shifted}+05:30`;
}
/** A documented-form expiry long past. */
export const PAST_EXPIRY = '2015-04-12T18:51:19.000Z';
/** An event id no tenant defines. */
export const UNKNOWN_EVTID = 'evkit-probe-unknown-event';

const allAccepted = (answer: ProbeAnswer): boolean =>
  answer.entries.length > 0 && answer.entries.every((e) => e.code === CODE.queued);
const suffixed = (entries: readonly AnswerEntry[]): boolean => {
  const base = entries[0]?.transid;
  return base !== undefined && entries.every((e, i) => e.transid === (i === 0 ? base : `${base}_${i}`));
};

/** The probes that provoke each documented code without provider state, and check its answer. */
function codeProbes(ctx: ProbeContext): Probe[] {
  const probes: Probe[] = [
    {
      id: 'accepted',
      behaviour: 'conformance',
      purpose: `one valid event: 1002 "${DESCRIPTION.queued}", an array of one entry`,
      auth: 'key',
      body: eventsBody(ctx.evtid, 1),
      events: 1,
      classify: byCode({ [CODE.queued]: CODE.queued }),
    },
    {
      id: 'invalid-json',
      behaviour: 'conformance',
      purpose: 'a body that is not JSON: 7000',
      auth: 'key',
      body: () => `{"${FIELD.events}": [`,
      events: 0,
      classify: byCode({ [CODE.invalidJson]: CODE.invalidJson }),
    },
    {
      id: 'wrong-key',
      behaviour: 'conformance',
      purpose: 'an unknown service key: 7001',
      auth: 'wrong-key',
      body: eventsBody(ctx.evtid, 1),
      events: 1,
      classify: byCode({ [CODE.authenticationFailed]: CODE.authenticationFailed }),
    },
    {
      id: 'no-credentials',
      behaviour: 'conformance',
      purpose: 'neither a key nor a JWT: 7002',
      auth: 'none',
      body: eventsBody(ctx.evtid, 1),
      events: 1,
      classify: byCode({ [CODE.serviceKeyMissing]: CODE.serviceKeyMissing }),
    },
    {
      id: 'no-events',
      behaviour: 'conformance',
      purpose: 'a body without "events": 7003',
      auth: 'key',
      body: bodyOf({}),
      events: 0,
      classify: byCode({ [CODE.eventsMissing]: CODE.eventsMissing }),
    },
    {
      id: 'unknown-evtid',
      behaviour: 'conformance',
      purpose: 'an event id the tenant does not define: 7004 as an array entry',
      auth: 'key',
      body: eventsBody(UNKNOWN_EVTID, 1),
      events: 1,
      classify: byCode({ [CODE.invalidParameters]: CODE.invalidParameters }),
    },
    {
      id: 'expired',
      behaviour: 'conformance',
      purpose: 'an expiry in the past: 7019',
      auth: 'key',
      body: bodyOf({ [FIELD.expiry]: PAST_EXPIRY, [FIELD.events]: [event(ctx.evtid)] }),
      events: 1,
      classify: byCode({ [CODE.requestExpired]: CODE.requestExpired }),
    },
  ];
  if (ctx.jwt) {
    probes.push({
      id: 'jwt',
      behaviour: 'conformance',
      purpose: 'a valid "Bearer <JWT>": 1002 (the control of the bare-JWT probe)',
      auth: 'jwt',
      body: eventsBody(ctx.evtid, 1),
      events: 1,
      classify: byCode({ [CODE.queued]: CODE.queued }),
    });
  }
  return probes;
}

/** The probes of the undocumented behaviours: each answer picks one alternative of an evaluator option. */
function optionProbes(ctx: ProbeContext): Probe[] {
  const probes: Probe[] = [
    {
      id: 'multi-event',
      behaviour: 'transidSuffixes',
      purpose: 'two valid events: transids base, base_1 (suffixed) or unrelated (distinct)',
      auth: 'key',
      body: eventsBody(ctx.evtid, 2),
      events: 2,
      classify: (a) =>
        a.entries.length === 2 && allAccepted(a)
          ? suffixed(a.entries)
            ? 'suffixed'
            : 'distinct'
          : undefined,
    },
    {
      id: 'unknown-field',
      behaviour: 'unknownFields',
      purpose: 'an unknown top-level field: 1002 (ignore) or 7004 (reject)',
      auth: 'key',
      body: bodyOf({ evkitProbe: 1, [FIELD.events]: [event(ctx.evtid)] }),
      events: 1,
      classify: byCode({ [CODE.queued]: 'ignore', [CODE.invalidParameters]: 'reject' }),
    },
    {
      id: 'empty-key',
      behaviour: 'emptyKey',
      purpose: 'an empty key header: 7002 (missing) or 7001 (invalid)',
      auth: 'empty-key',
      body: eventsBody(ctx.evtid, 1),
      events: 1,
      classify: byCode({ [CODE.serviceKeyMissing]: 'missing', [CODE.authenticationFailed]: 'invalid' }),
    },
    {
      id: 'null-events',
      behaviour: 'nullEvents',
      purpose: '"events": null: 7003 (missing) or 7004 (invalid)',
      auth: 'key',
      body: bodyOf({ [FIELD.events]: null }),
      events: 0,
      classify: byCode({ [CODE.eventsMissing]: 'missing', [CODE.invalidParameters]: 'invalid' }),
    },
    {
      id: 'expiry-offset',
      behaviour: 'expiryOffsets',
      purpose: 'an expiry an hour ahead written with +05:30: 7004 (reject) or 1002 (accept)',
      auth: 'key',
      body: (now) =>
        JSON.stringify({ [FIELD.expiry]: offsetExpiry(now), [FIELD.events]: [event(ctx.evtid)] }),
      events: 1,
      classify: byCode({ [CODE.invalidParameters]: 'reject', [CODE.queued]: 'accept' }),
    },
  ];
  if (/^[1-9]\d{0,14}$/.test(ctx.evtid)) {
    probes.push({
      id: 'evtid-number',
      behaviour: 'evtidAsNumber',
      purpose: 'evtid as a JSON number: 7004 (reject) or 1002 (coerce)',
      auth: 'key',
      body: bodyOf({ [FIELD.events]: [event(Number(ctx.evtid))] }),
      events: 1,
      classify: byCode({ [CODE.invalidParameters]: 'reject', [CODE.queued]: 'coerce' }),
    });
  }
  if (ctx.jwt) {
    probes.push({
      id: 'bare-jwt',
      behaviour: 'bearerPrefix',
      purpose: 'a JWT without "Bearer ": 7001 or 7002 (required) or 1002 (optional)',
      auth: 'bare-jwt',
      body: eventsBody(ctx.evtid, 1),
      events: 1,
      classify: byCode({
        [CODE.authenticationFailed]: 'required',
        [CODE.serviceKeyMissing]: 'required',
        [CODE.queued]: 'optional',
      }),
    });
  }
  if (ctx.mandatoryEvtid !== undefined) {
    probes.push({
      id: 'mandatory-missing',
      behaviour: 'mandatoryParamDescription',
      purpose:
        'an event without its mandatory parameter: 7025 with the literal description or the name filled in',
      auth: 'key',
      body: eventsBody(ctx.mandatoryEvtid, 1),
      events: 1,
      classify: (a) => {
        const d = a.entries[0]?.description;
        if (answerCode(a) !== CODE.mandatoryParameterMissing || d === undefined) return undefined;
        if (d === DESCRIPTION.mandatoryParameterMissing) return 'literal';
        return templateName(mandatoryParamDescription, d) === undefined ? undefined : 'template';
      },
    });
  }
  return probes;
}

/**
 * The rate-limit probes (planned only with a known TPS). One request of TPS + band + 1 events tells whether
 * the limit counts events; TPS events then the band's worth 0.1 s later whether the burst band exists; two pairs of requests 0.7 s
 * apart (TPS events, then band + 1 events), started half a second apart in the wall-clock second, tell fixed
 * windows (the second request of at least one pair lands in a new window) from a sliding one (both rejected).
 */
function rateProbes(ctx: ProbeContext): Probe[] {
  const tps = ctx.tps;
  if (tps === undefined || tps < 2) return [];
  const band = burstBand(tps);
  const rejected = (a: ProbeAnswer): boolean => answerCode(a) === RATE_LIMIT_CODE;
  const fill = (id: string, at: number): Probe => ({
    id,
    behaviour: 'window',
    purpose: `fills the window with TPS (${tps}) events, at ${at} s into a wall-clock second`,
    auth: 'key',
    body: eventsBody(ctx.evtid, tps),
    events: tps,
    timing: { quietMs: QUIET_MS, atSecondFraction: at },
    classify: (a) => (allAccepted(a) ? 'filled' : undefined),
  });
  const windowSecond = (id: string): Probe => ({
    id,
    behaviour: 'window',
    purpose: `${band + 1} events ${PAIR_GAP_MS} ms later: queued in a new fixed window, 7020 in a sliding one`,
    auth: 'key',
    body: eventsBody(ctx.evtid, band + 1),
    events: band + 1,
    timing: { afterPreviousMs: PAIR_GAP_MS },
    classify: (a) => (allAccepted(a) ? 'new-window' : rejected(a) ? 'same-window' : undefined),
  });
  return [
    {
      id: 'count-by',
      behaviour: 'countBy',
      purpose: `one request of TPS + band + 1 (${tps + band + 1}) events: 7020 (events) or accepted (requests)`,
      auth: 'key',
      body: eventsBody(ctx.evtid, tps + band + 1),
      events: tps + band + 1,
      timing: { quietMs: QUIET_MS },
      classify: (a) => (rejected(a) ? 'events' : allAccepted(a) ? 'requests' : undefined),
    },
    { ...fill('burst-a', 0.3), behaviour: 'burst' },
    {
      id: 'burst-b',
      behaviour: 'burst',
      purpose: `the band (${band} events) ${BURST_GAP_MS} ms later: "${DESCRIPTION.queuedInBurstMode}" (on) or 7020 (off); needs countBy events`,
      auth: 'key',
      body: eventsBody(ctx.evtid, band),
      events: band,
      timing: { afterPreviousMs: BURST_GAP_MS },
      classify: (a) =>
        rejected(a)
          ? 'off'
          : allAccepted(a) && a.entries.every((e) => e.description === DESCRIPTION.queuedInBurstMode)
            ? 'on'
            : allAccepted(a)
              ? 'new-window'
              : undefined,
    },
    fill('window-a1', 0.55),
    windowSecond('window-b1'),
    fill('window-a2', 0.05),
    windowSecond('window-b2'),
  ];
}

/** The whole probe set, in the order it is sent: documented codes, options, then the rate limit. */
export function probePlan(ctx: ProbeContext): Probe[] {
  return [...codeProbes(ctx), ...optionProbes(ctx), ...rateProbes(ctx)];
}
