import { SharedArray } from 'k6/data';
import type { Case } from '../../generators/case.ts';
import { CREDENTIAL_HEADER_NAMES } from '../../src/auth/k6.ts';
import { ACCEPTED_CODE, HEADER } from '../../src/schema/catalog.ts';
import { builtinBody, withEventCount } from './body.ts';
import type { LoadConfig } from './config.ts';

/** One prepared request: what an iteration sends and what it expects. */
export interface Payload {
  id: string;
  path: string;
  /** Headers without credentials when `credentials` is true (the script adds its own). */
  headers: Record<string, string>;
  body: string;
  /** The body is base64 of raw bytes (non-UTF-8 cases). */
  base64: boolean;
  expected: string;
  /** Whether the script's configured credentials replace the case's own. */
  credentials: boolean;
}

/** The fields of a generator case the scripts read. */
type CorpusCase = Pick<Case, 'id' | 'kind' | 'path' | 'headers' | 'body' | 'bodyEncoding' | 'expected'>;

function isCase(value: unknown): value is CorpusCase {
  if (value === null || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.id === 'string' &&
    typeof c.path === 'string' &&
    typeof c.body === 'string' &&
    typeof c.headers === 'object' &&
    typeof (c.expected as Record<string, unknown> | undefined)?.code === 'string'
  );
}

function fromCase(c: CorpusCase, config: LoadConfig): Payload {
  const valid = c.kind === 'valid' && c.expected.code === ACCEPTED_CODE;
  // Invalid cases keep their own (possibly wrong or missing) credentials: that is what they test.
  const replace = valid && config.credentials.type !== 'none';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(c.headers)) {
    if (!(replace && CREDENTIAL_HEADER_NAMES.includes(name.toLowerCase()))) headers[name] = value;
  }
  const base64 = c.bodyEncoding === 'base64';
  const body =
    valid && !base64 && config.eventsPerRequest !== undefined
      ? withEventCount(c.body, config.eventsPerRequest)
      : c.body;
  return { id: c.id, path: c.path, headers, body, base64, expected: c.expected.code, credentials: replace };
}

function builtin(config: LoadConfig): Payload {
  if (config.credentials.type === 'none') {
    throw new Error('no corpus and no credentials: set EVKIT_KEY, or EVKIT_JWT_SECRET and EVKIT_SERVICE_ID');
  }
  return {
    id: 'builtin',
    path: config.path,
    headers: { [HEADER.contentType]: 'application/json' },
    body: builtinBody(config.evtid, config.eventsPerRequest ?? 1),
    base64: false,
    expected: ACCEPTED_CODE,
    credentials: true,
  };
}

/**
 * The payloads, read once in the init context: the generator corpus named by EVKIT_CORPUS (a JSON array of
 * cases, opened relative to the bundle), else one built-in valid body.
 */
export function loadPayloads(config: LoadConfig): Payload[] {
  return new SharedArray('evkit-payloads', () => {
    if (config.corpus === undefined) return [builtin(config)];
    const parsed: unknown = JSON.parse(open(config.corpus));
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isCase)) {
      throw new Error(`EVKIT_CORPUS ${config.corpus} is not a non-empty JSON array of generator cases`);
    }
    return parsed.map((c) => fromCase(c, config));
  });
}
