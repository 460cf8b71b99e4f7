import { randomUUID } from 'node:crypto';
import { bearer } from '../auth/index.ts';
import { signServiceJwt } from '../client/index.ts';
import {
  type Clock,
  checkCredentials,
  createTenantResolver,
  type Evaluation,
  evaluate,
  headerValue,
  type RawRequest,
} from '../evaluate/index.ts';
import { createRateLimiter } from '../mock/index.ts';
import type { Envelope, TenantFile } from '../schema/index.ts';
import { BEARER, HEADER } from '../schema/index.ts';
import { answerProblems, answerShape, type ProbeAnswer, parseAnswer } from './answer.ts';
import { REDACTED, WRONG_KEY } from './run.ts';

/** How a recorded request authenticated, so that it can be replayed against a tenant file without its secret. */
export type CredentialKind = 'key' | 'empty-key' | 'bearer' | 'bare-token' | 'none';

/** One exchange of `evkit mock --proxy`: the request (credentials redacted), the real answer, the mock's. */
export interface ProxyRecord {
  readonly at: string;
  readonly request: {
    readonly credential: CredentialKind;
    /** Whether the credentials were good by the tenant file in use when recorded. */
    readonly credentialValid: boolean;
    readonly contentType: string | undefined;
    readonly body: string;
  };
  readonly real: { readonly status: number; readonly body: string };
  readonly mock: { readonly status: number; readonly body: string };
  /** What the real answer breaks of the response schema and catalog. */
  readonly problems: readonly string[];
  /** Where the real answer and the mock's differ. */
  readonly disagreements: readonly string[];
}

/** The credential kind of a request's headers. */
export function credentialKind(headers: RawRequest['headers']): CredentialKind {
  const raw = { headers, body: new Uint8Array(0), sourceIp: '' };
  const auth = headerValue(raw, HEADER.authorization);
  if (auth !== undefined && auth !== '') return auth.startsWith(`${BEARER} `) ? 'bearer' : 'bare-token';
  const key = headerValue(raw, HEADER.key);
  if (key === undefined) return 'none';
  return key === '' ? 'empty-key' : 'key';
}

/** Where a real answer and the mock's envelope for the same request differ (transids aside). */
export function disagreements(real: ProbeAnswer, mock: ProbeAnswer): string[] {
  const out: string[] = [];
  if (real.status !== mock.status) out.push(`HTTP status ${real.status}, the mock ${mock.status}`);
  if (real.form !== mock.form) out.push(`envelope form ${real.form}, the mock ${mock.form}`);
  const n = Math.max(real.entries.length, mock.entries.length);
  for (let i = 0; i < n; i++) {
    const r = real.entries[i];
    const m = mock.entries[i];
    if (r?.code !== m?.code) out.push(`entry ${i}: code ${r?.code ?? 'none'}, the mock ${m?.code ?? 'none'}`);
    else if (r?.description !== m?.description)
      out.push(
        `entry ${i}: description ${JSON.stringify(r?.description)}, the mock ${JSON.stringify(m?.description)}`,
      );
  }
  return out;
}

/** The mock's evaluator for a tenant file with its own rate limiter, on a given clock (real or replayed). */
export function createMockJudge(file: TenantFile, clock: Clock): (raw: RawRequest) => Promise<Evaluation> {
  const resolver = createTenantResolver(file.tenants, file.evaluator);
  const rateLimiter = createRateLimiter(file.tenants, { clock });
  const services = { clock, ids: { next: () => randomUUID() }, rateLimiter };
  // The resolver itself: stage tenant reads the credentials (and decodes a JWT) once.
  return async (raw) => evaluate(raw, resolver, file.evaluator, services);
}

/** Whether a request's credentials are good by the tenant file (for the record). */
export async function credentialsValid(raw: RawRequest, file: TenantFile, nowMs: number): Promise<boolean> {
  const resolver = createTenantResolver(file.tenants, file.evaluator);
  return (await checkCredentials(raw, resolver.resolve(raw), file.evaluator, nowMs)).ok;
}

/** Build the record of one proxied exchange. */
export function proxyRecord(input: {
  at: number;
  headers: RawRequest['headers'];
  credentialValid: boolean;
  body: string;
  real: { status: number; body: string };
  mock: Envelope;
}): ProxyRecord {
  const real = parseAnswer(input.real.status, input.real.body);
  const mockBody = JSON.stringify(input.mock);
  const mock = parseAnswer(200, mockBody);
  const contentType = headerValue(
    { headers: input.headers, body: new Uint8Array(0), sourceIp: '' },
    HEADER.contentType,
  );
  return {
    at: new Date(input.at).toISOString(),
    request: {
      credential: credentialKind(input.headers),
      credentialValid: input.credentialValid,
      contentType,
      body: input.body,
    },
    real: input.real,
    mock: { status: 200, body: mockBody },
    problems: answerProblems(real),
    disagreements: disagreements(real, mock),
  };
}

/** Headers that stand in for a recorded request's credentials, from the tenant file in use. */
async function replayHeaders(
  rec: ProxyRecord,
  file: TenantFile,
  atMs: number,
): Promise<Record<string, string>> {
  const service =
    file.tenants[0]?.services.find((s) => s.keys.some((k) => k.active)) ?? file.tenants[0]?.services[0];
  const key = service?.keys.find((k) => k.active)?.value ?? REDACTED;
  const jwtService = file.tenants[0]?.services.find((s) => s.jwtSecret !== undefined);
  const jwt = async (): Promise<string> =>
    rec.request.credentialValid && jwtService?.jwtSecret
      ? signServiceJwt(jwtService.id, jwtService.jwtSecret, atMs)
      : 'not.a.jwt';
  const table: Record<CredentialKind, () => Promise<Record<string, string>>> = {
    key: async () => ({ [HEADER.key]: rec.request.credentialValid ? key : WRONG_KEY }),
    'empty-key': async () => ({ [HEADER.key]: '' }),
    bearer: async () => ({ [HEADER.authorization]: bearer(await jwt()) }),
    'bare-token': async () => ({ [HEADER.authorization]: await jwt() }),
    none: async () => ({}),
  };
  const headers = await table[rec.request.credential]();
  return rec.request.contentType === undefined
    ? headers
    : { ...headers, [HEADER.contentType]: rec.request.contentType };
}

/** The outcome of re-judging a recording offline against a tenant file. */
export interface Rejudged {
  readonly records: number;
  readonly nonConforming: number;
  readonly disagreements: number;
  readonly text: string;
}

/**
 * Re-judge an NDJSON recording of `evkit mock --proxy`: check each real answer against the schema and catalog
 * again, and evaluate each request with the mock's evaluator for `file` on the recorded clock.
 */
export async function rejudgeRecording(ndjson: string, file: TenantFile): Promise<Rejudged> {
  const records = ndjson
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ProxyRecord);
  let now = 0;
  const judgeOf = createMockJudge(file, { now: () => now });
  const lines: string[] = [];
  let nonConforming = 0;
  let disagreeing = 0;
  for (const [i, rec] of records.entries()) {
    now = Date.parse(rec.at);
    const headers = await replayHeaders(rec, file, now);
    const evaluation = await judgeOf({
      headers,
      body: new TextEncoder().encode(rec.request.body),
      sourceIp: '127.0.0.1',
    });
    const real = parseAnswer(rec.real.status, rec.real.body);
    const problems = answerProblems(real);
    const diff = disagreements(real, parseAnswer(200, JSON.stringify(evaluation.envelope)));
    if (problems.length > 0) nonConforming += 1;
    if (diff.length > 0) disagreeing += 1;
    const flags = [...problems.map((p) => `catalog: ${p}`), ...diff.map((d) => `mock: ${d}`)];
    lines.push(
      `${String(i + 1).padStart(3)}. ${rec.at} ${answerShape(real)}${flags.length ? `\n     ${flags.join('\n     ')}` : ''}`,
    );
  }
  const text = `${lines.join('\n')}\n${records.length} record(s): ${nonConforming} break the schema or catalog, ${disagreeing} disagree with the mock\n`;
  return { records: records.length, nonConforming, disagreements: disagreeing, text };
}
