import type { StateCall } from './state-bridge.ts';

/** One mismatch as the Rust verifier reports it (fields vary by type). */
interface MismatchJson {
  readonly type?: string;
  readonly path?: string;
  readonly key?: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly mismatch?: string;
}

/** What an interaction's failure looks like in the verifier's JSON. */
interface FailureJson {
  readonly type?: string;
  readonly message?: string;
  readonly mismatches?: readonly MismatchJson[];
}

/** The part of the verifier's JSON result we read. */
export interface VerifierJson {
  readonly result?: boolean;
  readonly output?: readonly string[];
  readonly errors?: readonly { readonly interaction?: string; readonly mismatch?: FailureJson }[];
  readonly interactionResults?: readonly {
    readonly consumer?: string;
    readonly description?: string;
    readonly duration?: string;
    readonly pending?: boolean;
    readonly providerStates?: readonly string[];
    readonly result?: string;
    readonly mismatch?: FailureJson;
  }[];
}

/** The verdict on one interaction. */
export type InteractionStatus =
  | 'passed'
  | 'failed'
  /** A provider state could not be set on the mock (unknown name, bad params, control API down). */
  | 'state-failed'
  /** Verified against a real provider, which cannot be put into the interaction's states: not passed. */
  | 'state-not-set'
  /** Failed, but the broker marked the pact pending: reported, not counted. */
  | 'pending-failed';

/** One verified interaction, readable. */
export interface InteractionReport {
  readonly consumer: string;
  readonly description: string;
  readonly states: readonly string[];
  readonly status: InteractionStatus;
  /** One line per mismatch or problem, for people. */
  readonly problems: readonly string[];
  readonly duration: string;
}

const STATE_CHANGE_FAILED = /state change/i;

const MAX_SHOWN = 240;

/** A value of a mismatch for people: the verifier gives JSON text; show it compact, typed, and not too long. */
function show(value: unknown): string {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = value;
    }
  }
  const kind = Array.isArray(parsed)
    ? `an array of ${parsed.length}`
    : parsed !== null && typeof parsed === 'object'
      ? 'an object'
      : undefined;
  const text = JSON.stringify(parsed) ?? 'nothing';
  const short = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  return kind ? `${kind} ${short}` : short;
}

/**
 * Pact words equality and type mismatches as "Expected <actual> to be equal to <expected>", which reads backwards;
 * those are rewritten from the fields as "expected X, got Y". Other messages (missing keys) read well as they are.
 */
function expectedGot(m: MismatchJson): string {
  // A matcher's failure ("Expected 'x' to match '^re$'") names the rule, which the expected example does not.
  const rule = /^Expected .* to match '(.*)'$/s.exec(m.mismatch ?? '');
  if (rule) return `expected a value matching /${rule[1]}/, got ${show(m.actual)}`;
  const reversed = m.mismatch === undefined || /^(Expected|Type mismatch)/.test(m.mismatch);
  return reversed && (m.expected !== undefined || m.actual !== undefined)
    ? `expected ${show(m.expected)}, got ${show(m.actual)}`
    : (m.mismatch ?? 'mismatch');
}

/** One mismatch as a line a person can act on. */
export function describeMismatch(m: MismatchJson): string {
  switch (m.type) {
    case 'StatusMismatch':
      return `HTTP status: expected ${show(m.expected)}, got ${show(m.actual)} (the outcome belongs in the body, with HTTP 200)`;
    case 'HeaderMismatch':
      return `header ${m.key ?? '?'}: ${expectedGot(m)}`;
    case 'BodyMismatch':
      return `body ${m.path ?? '$'}: ${expectedGot(m)}`;
    case 'BodyTypeMismatch':
      return `body type: ${expectedGot(m)}`;
    default:
      return `${m.type ?? 'mismatch'}: ${expectedGot(m)}`;
  }
}

function problemsOf(failure: FailureJson | undefined): string[] {
  if (!failure) return [];
  if (failure.mismatches?.length) return failure.mismatches.map(describeMismatch);
  return [failure.message ?? 'failed'];
}

function statusOf(
  result: NonNullable<VerifierJson['interactionResults']>[number],
  states: readonly string[],
  realProvider: boolean,
): InteractionStatus {
  if (realProvider && states.length > 0) return 'state-not-set';
  if (result.result === 'OK') return 'passed';
  if (result.pending) return 'pending-failed';
  if (STATE_CHANGE_FAILED.test(result.mismatch?.message ?? '')) return 'state-failed';
  return 'failed';
}

/** Turn the verifier's JSON and the recorded state calls into one report line per interaction. */
export function interactionReports(
  json: VerifierJson,
  calls: readonly StateCall[],
  realProvider: boolean,
): InteractionReport[] {
  return (json.interactionResults ?? []).map((r) => {
    const states = r.providerStates ?? [];
    const status = statusOf(r, states, realProvider);
    const problems = problemsOf(r.mismatch);
    if (status === 'state-failed') {
      const errors = calls.filter((c) => c.status === 'failed' && states.includes(c.state));
      const detail = [...new Set(errors.map((c) => `state "${c.state}": ${c.error ?? 'failed'}`))];
      problems.splice(0, problems.length, ...(detail.length ? detail : problems));
    }
    if (status === 'state-not-set') {
      problems.unshift(...states.map((s) => `state "${s}" cannot be set on a real provider: not verified`));
    }
    return {
      consumer: r.consumer ?? '',
      description: r.description ?? '',
      states,
      status,
      problems: status === 'passed' ? [] : problems,
      duration: r.duration ?? '',
    };
  });
}

/** Problems of the run itself (a pact that would not load, a broker without pacts), not of one interaction. */
export function runProblems(json: VerifierJson): string[] {
  const described = (json.interactionResults ?? []).map((r) => r.description ?? '');
  return (json.errors ?? [])
    .filter((e) => !described.some((d) => d !== '' && (e.interaction ?? '').endsWith(d)))
    .map((e) => [e.interaction, e.mismatch?.message].filter(Boolean).join(': '));
}

/** Whether a status counts as passed (pending failures are reported but do not fail the run, as in Pact). */
export const COUNTS_AS_PASSED = {
  passed: true,
  failed: false,
  'state-failed': false,
  'state-not-set': false,
  'pending-failed': true,
} as const satisfies Record<InteractionStatus, boolean>;

/** The verifier's JSON from a resolved string or a rejection whose message is that JSON. */
export function parseVerifierJson(text: string): VerifierJson | undefined {
  try {
    const json: unknown = JSON.parse(text);
    return json !== null && typeof json === 'object' ? (json as VerifierJson) : undefined;
  } catch {
    return undefined;
  }
}
