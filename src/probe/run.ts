import { bearer } from '../auth/index.ts';
import { signServiceJwt } from '../client/index.ts';
import { EvkitError, isEvkitError } from '../errors.ts';
import { guardTarget } from '../load/index.ts';
import { EVENT_PATH, HEADER } from '../schema/index.ts';
import { answerProblems, type ProbeAnswer, parseAnswer } from './answer.ts';
import type { Observation } from './judge.ts';
import type { AuthSpec, Probe } from './probes.ts';

/** Credentials of a probe run, from the environment only. */
export interface ProbeCredentials {
  readonly key: string | undefined;
  readonly jwt: { readonly serviceId: string; readonly secret: string } | undefined;
}

/** A key no tenant holds (the 7001 probe). */
export const WRONG_KEY = 'evkit-probe-not-a-key';
/** What the plan and the report show instead of a credential. */
export const REDACTED = '<redacted>';

/** One probe as the plan prints it and the report records it: every header and the body. */
export interface PlannedRequest {
  readonly probeId: string;
  readonly method: 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The headers of an auth spec; `redact` shows credentials as <redacted> (plans, reports). */
async function authHeaders(
  auth: AuthSpec,
  credentials: ProbeCredentials,
  nowMs: number,
  redact: boolean,
): Promise<Record<string, string>> {
  const jwt = async (): Promise<string> =>
    redact || !credentials.jwt
      ? REDACTED
      : signServiceJwt(credentials.jwt.serviceId, credentials.jwt.secret, nowMs);
  const table: Record<AuthSpec, () => Promise<Record<string, string>>> = {
    key: async () => ({ [HEADER.key]: redact ? REDACTED : (credentials.key ?? '') }),
    none: async () => ({}),
    'empty-key': async () => ({ [HEADER.key]: '' }),
    'wrong-key': async () => ({ [HEADER.key]: WRONG_KEY }),
    jwt: async () => ({ [HEADER.authorization]: bearer(await jwt()) }),
    'bare-jwt': async () => ({ [HEADER.authorization]: await jwt() }),
  };
  return table[auth]();
}

/**
 * The remote-target guard of the load runs, with the fix that fits a probe or the proxy: they have no
 * --max-rate, their --rate is the cap.
 */
export function guardProbeTarget(target: string, allowRemote: boolean, rate: number, what: string): void {
  try {
    guardTarget(target, { allowRemote, maxRate: rate, peakRate: rate });
  } catch (error) {
    if (isEvkitError(error) && error.code === 'E_REMOTE_TARGET') {
      throw new EvkitError(
        'E_REMOTE_TARGET',
        error.message.replace('refusing to load', `refusing to ${what}`),
        {
          details: { host: new URL(target).hostname, action: 'probe', rate },
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** The event URL of a base URL (the only path a probe run calls). */
export function eventUrl(target: string): string {
  return new URL(EVENT_PATH, target).toString();
}

/** The request a probe sends at `nowMs`; with `redact`, as the plan shows it. */
export async function plannedRequest(
  probe: Probe,
  target: string,
  credentials: ProbeCredentials,
  nowMs: number,
  redact: boolean,
): Promise<PlannedRequest> {
  return {
    probeId: probe.id,
    method: 'POST',
    url: eventUrl(target),
    headers: {
      [HEADER.contentType]: 'application/json',
      ...(await authHeaders(probe.auth, credentials, nowMs, redact)),
    },
    body: probe.body(nowMs),
  };
}

/** The longest a plan can take at a rate: pacing, quiet gaps and the wait for a point of the second. */
export function planWallTimeMs(plan: readonly Probe[], rate: number): number {
  const interval = 1000 / rate;
  let total = 0;
  plan.forEach((p, i) => {
    if (i === 0) return;
    const t = p.timing;
    if (t?.afterPreviousMs !== undefined) total += t.afterPreviousMs;
    else total += Math.max(interval, t?.quietMs ?? 0) + (t?.atSecondFraction !== undefined ? 1000 : 0);
  });
  return Math.round(total);
}

/** Options of a probe run. */
export interface ProbeRunOptions {
  readonly target: string;
  readonly plan: readonly Probe[];
  readonly credentials: ProbeCredentials;
  /** Requests per second, at most (the pacing interval is 1/rate). */
  readonly rate: number;
  /** Requests sent at most; the rest of the plan is not sent. */
  readonly budget: number;
  readonly onAnswer?: (o: ProbeExchange) => void;
}

/** One probe run's exchange: what was sent (credentials redacted), when, and the observation. */
export interface ProbeExchange extends Observation {
  readonly sentAt: string;
  readonly request: PlannedRequest;
  readonly durationMs: number;
}

/** How long a probe waits for its answer before it counts as a transport error. */
export const ANSWER_TIMEOUT_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function send(request: PlannedRequest): Promise<ProbeAnswer> {
  try {
    // No redirects: a probe run calls the event path and nothing else.
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    return parseAnswer(res.status, await res.text());
  } catch (cause) {
    return parseAnswer(
      0,
      '',
      (cause as Error).cause instanceof Error ? String((cause as Error).cause) : String(cause),
    );
  }
}

/** When the next probe may go, by the pacing interval and its timing. */
function nextSendAt(probe: Probe, lastAt: number | undefined, interval: number, now: number): number {
  if (lastAt === undefined) return now;
  const t = probe.timing;
  if (t?.afterPreviousMs !== undefined) return lastAt + t.afterPreviousMs;
  let at = Math.max(now, lastAt + Math.max(interval, t?.quietMs ?? 0));
  if (t?.atSecondFraction !== undefined) {
    const want = Math.floor(at / 1000) * 1000 + t.atSecondFraction * 1000;
    at = want >= at ? want : want + 1000;
  }
  return at;
}

/** Send the plan, paced and within the budget, one request at a time; returns the exchanges in order. */
export async function runProbes(options: ProbeRunOptions): Promise<ProbeExchange[]> {
  const interval = 1000 / options.rate;
  const out: ProbeExchange[] = [];
  let lastAt: number | undefined;
  for (const probe of options.plan.slice(0, Math.max(0, Math.floor(options.budget)))) {
    const at = nextSendAt(probe, lastAt, interval, Date.now());
    await sleep(at - Date.now());
    const startedAt = Date.now();
    lastAt = startedAt;
    const request = await plannedRequest(probe, options.target, options.credentials, startedAt, false);
    const answer = await send(request);
    const exchange: ProbeExchange = {
      probeId: probe.id,
      behaviour: probe.behaviour,
      alternative: probe.classify(answer),
      problems: answerProblems(answer),
      answer,
      sentAt: new Date(startedAt).toISOString(),
      request: await plannedRequest(probe, options.target, options.credentials, startedAt, true),
      durationMs: Date.now() - startedAt,
    };
    out.push(exchange);
    options.onAnswer?.(exchange);
  }
  return out;
}
