import type { TenantFile } from '../schema/index.ts';
import { CODE } from '../schema/index.ts';
import { answerCode, answerShape, type ProbeAnswer } from './answer.ts';
import { BEHAVIOUR_IDS, type BehaviourId, type Probe } from './probes.ts';

/** One probe as sent and answered. */
export interface Observation {
  readonly probeId: string;
  readonly behaviour: BehaviourId;
  /** The alternative the answer matched, if any. */
  readonly alternative: string | undefined;
  /** What the answer breaks of the response schema and catalog. */
  readonly problems: readonly string[];
  readonly answer: ProbeAnswer;
}

/** A behaviour's verdict against the tenant file in use. */
export interface BehaviourVerdict {
  readonly behaviour: BehaviourId;
  /** The tenant-file setting it maps to, if any (e.g. `evaluator.emptyKey`). */
  readonly setting: string | undefined;
  /** The alternative the tenant file in use implies. */
  readonly current: string;
  /** The alternative observed, when conclusive. */
  readonly observed: string | undefined;
  readonly verdict: 'matches' | 'differs' | 'inconclusive';
  readonly detail: string;
}

type Judged = { readonly observed: string } | { readonly inconclusive: string };

/** What judging knows: observations by probe id, and why a probe of the full set was not sent. */
interface JudgeInput {
  readonly byId: ReadonlyMap<string, Observation>;
  readonly notSent: ReadonlyMap<string, string>;
}

interface BehaviourInfo {
  readonly setting: string | undefined;
  /** The probe ids it reads; when none was planned, `unplanned` says why. */
  readonly probes: readonly string[];
  readonly unplanned: string;
  readonly current: (file: TenantFile) => string;
  readonly judge: (input: JudgeInput) => Judged;
  /** Write an observed alternative into a tenant file (absent: no setting can express it). */
  readonly apply?: (file: TenantFile, alternative: string) => void;
  /** How an alternative is spelled in the tenant file, when not by its name. */
  readonly value?: (alternative: string) => string;
}

const first = (file: TenantFile): TenantFile['tenants'][number] =>
  file.tenants[0] as TenantFile['tenants'][number];

function single(probeId: string): (input: JudgeInput) => Judged {
  return ({ byId, notSent }) => {
    const o = byId.get(probeId);
    if (!o) return { inconclusive: notSent.get(probeId) ?? `probe ${probeId} was not sent` };
    if (o.alternative !== undefined) return { observed: o.alternative };
    return {
      inconclusive: `probe ${probeId} answered ${answerShape(o.answer)}, which matches no alternative`,
    };
  };
}

/** The burst and window probes only mean something when the limit counts events (one request carries the load). */
function countsEvents(input: JudgeInput): string | undefined {
  const c = input.byId.get('count-by')?.alternative;
  return c === 'events'
    ? undefined
    : `needs a limit that counts events (count-by answered ${c ?? 'nothing conclusive'})`;
}

function judgeBurst(input: JudgeInput): Judged {
  const why = countsEvents(input);
  if (why) return { inconclusive: why };
  const a = input.byId.get('burst-a');
  const b = input.byId.get('burst-b');
  if (!a || !b) return { inconclusive: input.notSent.get('burst-b') ?? 'the burst probes were not sent' };
  if (a.alternative !== 'filled') return { inconclusive: `burst-a answered ${answerShape(a.answer)}` };
  if (b.alternative === 'on' || b.alternative === 'off') return { observed: b.alternative };
  return { inconclusive: `burst-b answered ${answerShape(b.answer)} (it may have landed in a new window)` };
}

function judgeWindow(input: JudgeInput): Judged {
  const why = countsEvents(input);
  if (why) return { inconclusive: why };
  const pairs = [
    ['window-a1', 'window-b1'],
    ['window-a2', 'window-b2'],
  ].map(([a, b]) => [input.byId.get(a as string), input.byId.get(b as string)] as const);
  if (pairs.some(([a, b]) => !a || !b)) return { inconclusive: 'the window probes were not all sent' };
  if (pairs.some(([a]) => a?.alternative !== 'filled'))
    return { inconclusive: 'a request filling the window was not accepted whole' };
  const seconds = pairs.map(([, b]) => b?.alternative);
  if (seconds.includes('new-window')) return { observed: 'fixed' };
  if (seconds.every((s) => s === 'same-window')) return { observed: 'sliding' };
  return { inconclusive: `the second requests answered ${seconds.map(String).join(', ')}` };
}

/** What is wrong with an observation as a conformance probe: catalog breaches, or not the code it provokes. */
function conformanceBreaches(o: Observation): string[] {
  const unexpected =
    o.behaviour === 'conformance' && o.alternative === undefined
      ? [`answered ${answerShape(o.answer)}, not the code this request provokes`]
      : [];
  return [...o.problems, ...unexpected];
}

function judgeConformance({ byId }: JudgeInput): Judged {
  const wrong = [...byId.values()].filter((o) => conformanceBreaches(o).length > 0);
  return { observed: wrong.length === 0 ? 'catalog' : 'differs' };
}

/** Every behaviour: the setting it maps to, the probes that read it, how to judge and write it. */
export const BEHAVIOURS = {
  unknownFields: {
    setting: 'evaluator.unknownFields',
    probes: ['unknown-field'],
    unplanned: '',
    current: (f) => f.evaluator.unknownFields,
    judge: single('unknown-field'),
    apply: (f, a) => {
      f.evaluator.unknownFields = a as TenantFile['evaluator']['unknownFields'];
    },
  },
  evtidAsNumber: {
    setting: 'evaluator.evtidAsNumber',
    probes: ['evtid-number'],
    unplanned: 'the probe event id is not a decimal number (pass --evtid with a numeric one)',
    current: (f) => f.evaluator.evtidAsNumber,
    judge: single('evtid-number'),
    apply: (f, a) => {
      f.evaluator.evtidAsNumber = a as TenantFile['evaluator']['evtidAsNumber'];
    },
  },
  emptyKey: {
    setting: 'evaluator.emptyKey',
    probes: ['empty-key'],
    unplanned: '',
    current: (f) => f.evaluator.emptyKey,
    judge: single('empty-key'),
    apply: (f, a) => {
      f.evaluator.emptyKey = a as TenantFile['evaluator']['emptyKey'];
    },
  },
  nullEvents: {
    setting: 'evaluator.nullEvents',
    probes: ['null-events'],
    unplanned: '',
    current: (f) => f.evaluator.nullEvents,
    judge: single('null-events'),
    apply: (f, a) => {
      f.evaluator.nullEvents = a as TenantFile['evaluator']['nullEvents'];
    },
  },
  expiryOffsets: {
    setting: 'evaluator.expiryOffsets',
    probes: ['expiry-offset'],
    unplanned: '',
    current: (f) => f.evaluator.expiryOffsets,
    judge: single('expiry-offset'),
    apply: (f, a) => {
      f.evaluator.expiryOffsets = a as TenantFile['evaluator']['expiryOffsets'];
    },
  },
  bearerPrefix: {
    setting: 'evaluator.bearerPrefix',
    probes: ['bare-jwt'],
    unplanned: 'needs JWT credentials (EVKIT_JWT_SECRET and EVKIT_SERVICE_ID)',
    current: (f) => f.evaluator.bearerPrefix,
    judge: (input) => {
      const control = input.byId.get('jwt');
      if (control && answerCode(control.answer) !== CODE.queued)
        return { inconclusive: `a "Bearer <JWT>" was not accepted either (${answerShape(control.answer)})` };
      return single('bare-jwt')(input);
    },
    apply: (f, a) => {
      f.evaluator.bearerPrefix = a as TenantFile['evaluator']['bearerPrefix'];
    },
  },
  mandatoryParamDescription: {
    setting: 'evaluator.mandatoryParamDescription',
    probes: ['mandatory-missing'],
    unplanned: 'needs an event with a mandatory parameter (--mandatory-evtid, or one in the tenant file)',
    current: (f) => f.evaluator.mandatoryParamDescription,
    judge: single('mandatory-missing'),
    apply: (f, a) => {
      f.evaluator.mandatoryParamDescription = a as TenantFile['evaluator']['mandatoryParamDescription'];
    },
  },
  transidSuffixes: {
    setting: undefined,
    probes: ['multi-event'],
    unplanned: '',
    current: () => 'suffixed',
    judge: single('multi-event'),
  },
  countBy: {
    setting: 'rateLimit.countBy',
    probes: ['count-by'],
    unplanned: 'needs the provisioned TPS (--tps, at least 2)',
    current: (f) => first(f).rateLimit.countBy,
    judge: single('count-by'),
    apply: (f, a) => {
      first(f).rateLimit.countBy = a as 'requests' | 'events';
    },
  },
  burst: {
    setting: 'rateLimit.burst',
    probes: ['burst-a', 'burst-b'],
    unplanned: 'needs the provisioned TPS (--tps, at least 2)',
    current: (f) => (first(f).rateLimit.burst ? 'on' : 'off'),
    judge: judgeBurst,
    apply: (f, a) => {
      first(f).rateLimit.burst = a === 'on';
    },
    value: (a) => String(a === 'on'),
  },
  window: {
    setting: 'rateLimit.window',
    probes: ['window-a1', 'window-b1', 'window-a2', 'window-b2'],
    unplanned: 'needs the provisioned TPS (--tps, at least 2)',
    current: (f) => first(f).rateLimit.window,
    judge: judgeWindow,
    apply: (f, a) => {
      first(f).rateLimit.window = a as 'fixed' | 'sliding';
    },
  },
  conformance: {
    setting: undefined,
    probes: [],
    unplanned: '',
    current: () => 'catalog',
    judge: judgeConformance,
  },
} as const satisfies Record<BehaviourId, BehaviourInfo>;

/** Why each probe of the full set was not sent: not planned (with the reason) or cut by the budget. */
export function notSentReasons(planned: readonly Probe[], sent: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  const plannedIds = new Set(planned.map((p) => p.id));
  for (const [, info] of Object.entries(BEHAVIOURS) as [BehaviourId, BehaviourInfo][]) {
    for (const id of info.probes) {
      if (!plannedIds.has(id)) out.set(id, `not planned: ${info.unplanned}`);
      else if (!sent.has(id)) out.set(id, `probe ${id} not sent: the request budget ran out`);
    }
  }
  return out;
}

/** The verdict of every behaviour, from the observations, against the tenant file in use. */
export function judge(
  observations: readonly Observation[],
  planned: readonly Probe[],
  file: TenantFile,
): BehaviourVerdict[] {
  const byId = new Map(observations.map((o) => [o.probeId, o]));
  const notSent = notSentReasons(planned, new Set(byId.keys()));
  return BEHAVIOUR_IDS.map((behaviour): BehaviourVerdict => {
    const info: BehaviourInfo = BEHAVIOURS[behaviour];
    const current = info.current(file);
    const j = info.judge({ byId, notSent });
    if ('inconclusive' in j) {
      return {
        behaviour,
        setting: info.setting,
        current,
        observed: undefined,
        verdict: 'inconclusive',
        detail: j.inconclusive,
      };
    }
    if (behaviour === 'conformance' && j.observed !== 'catalog') {
      const wrong = observations.filter((o) => conformanceBreaches(o).length > 0);
      return {
        behaviour,
        setting: undefined,
        current,
        observed: j.observed,
        verdict: 'differs',
        detail: wrong.map((o) => `${o.probeId}: ${conformanceBreaches(o).join('; ')}`).join(' | '),
      };
    }
    const matches = j.observed === current;
    const detail = matches
      ? `observed ${j.observed}, as the tenant file says`
      : info.setting === undefined
        ? `observed ${j.observed}; the mock always answers ${current} (no setting matches)`
        : `observed ${j.observed}; set ${info.setting}: ${info.value?.(j.observed) ?? j.observed} to match (now ${current})`;
    return {
      behaviour,
      setting: info.setting,
      current,
      observed: j.observed,
      verdict: matches ? 'matches' : 'differs',
      detail,
    };
  });
}

/** A copy of the tenant file in use with every conclusive observation written into its settings (and the TPS). */
export function observedTenantFile(
  file: TenantFile,
  verdicts: readonly BehaviourVerdict[],
  tps?: number,
): TenantFile {
  const out = structuredClone(file);
  if (tps !== undefined) first(out).rateLimit.tps = tps;
  for (const v of verdicts) {
    const info: BehaviourInfo = BEHAVIOURS[v.behaviour];
    if (v.observed !== undefined && info.apply) info.apply(out, v.observed);
  }
  return out;
}
