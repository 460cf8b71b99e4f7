import { MatchersV3 } from '@pact-foundation/pact';
import { createRandom, randomUuid } from '../src/random.ts';
import type { ResponseEntry } from '../src/schema/index.ts';
import { RESPONSE_FIELD } from '../src/schema/index.ts';

/** A transid: a UUID, with `_1`, `_2`, ... on the later entries of one answer. */
export const TRANSID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(_[0-9]+)?$';
/** `Authorization: Bearer <JWT>` (three base64url segments). */
export const BEARER_JWT_PATTERN = '^Bearer [A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$';

/** Example transids for one answer, from a fixed seed: the pact files stay byte-identical between runs. */
export function exampleTransids(seed: number, count: number): string[] {
  const base = randomUuid(createRandom(seed));
  return Array.from({ length: count }, (_, i) => (i === 0 ? base : `${base}_${i}`));
}

/** What the client reads of one entry. */
export interface ExpectedEntry {
  readonly code: ResponseEntry['code'];
  readonly description: string;
  /** Per-event entries echo the event's correlationid; the client pairs entries with events by it. */
  readonly correlationid?: string | undefined;
}

/**
 * The expected body of an entry: code and description exactly (the client branches on them: burst flag, error
 * kind), transid by shape only (the provider makes it up), correlationid exactly when the request sent one.
 * Nothing else is asserted: the client reads nothing else.
 */
export function entryBody(entry: ExpectedEntry, transid: string): Record<string, unknown> {
  return {
    [RESPONSE_FIELD.code]: entry.code,
    [RESPONSE_FIELD.description]: entry.description,
    [RESPONSE_FIELD.transid]: MatchersV3.regex(TRANSID_PATTERN, transid),
    ...(entry.correlationid ? { [RESPONSE_FIELD.correlationid]: entry.correlationid } : {}),
  };
}

/** An object envelope (a request-level answer). */
export function objectEnvelope(entry: ExpectedEntry, seed: number): Record<string, unknown> {
  const [transid = ''] = exampleTransids(seed, 1);
  return { [RESPONSE_FIELD.response]: entryBody(entry, transid) };
}

/** An array envelope (one entry per event, in request order; the length is part of the contract). */
export function arrayEnvelope(entries: readonly ExpectedEntry[], seed: number): Record<string, unknown> {
  const transids = exampleTransids(seed, entries.length);
  return { [RESPONSE_FIELD.response]: entries.map((e, i) => entryBody(e, transids[i] ?? '')) };
}
