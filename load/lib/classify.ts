import {
  ACCEPTED_CODE,
  DESCRIPTION,
  isResponseCode,
  RESPONSE_FIELD,
  type ResponseCode,
} from '../../src/schema/catalog.ts';
import { OTHER } from './names.ts';

/** A response's outcome: its body code (every outcome of this API is HTTP 200) and the burst flag. */
export interface Outcome {
  code: ResponseCode | typeof OTHER;
  /** Accepted in the burst band ("Queued in burst mode"). */
  burst: boolean;
}

const UNPARSABLE: Outcome = { code: OTHER, burst: false };

function entryOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Classify a response by its body: the code of the envelope's first entry (per-event answers share the
 * request's fate under load); `other` when there is no parsable code (transport errors, HTML error pages).
 */
export function classifyBody(body: string | null | undefined): Outcome {
  if (typeof body !== 'string' || body.length === 0) return UNPARSABLE;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return UNPARSABLE;
  }
  const response = entryOf(parsed)?.[RESPONSE_FIELD.response];
  const entries = Array.isArray(response) ? response : [response];
  const first = entryOf(entries[0]);
  const code = first?.[RESPONSE_FIELD.code];
  if (!isResponseCode(code)) return UNPARSABLE;
  const burst =
    code === ACCEPTED_CODE &&
    entries.some((e) => entryOf(e)?.[RESPONSE_FIELD.description] === DESCRIPTION.queuedInBurstMode);
  return { code, burst };
}
