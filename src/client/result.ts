import { EvkitError } from '../errors.ts';
import {
  ACCEPTED_CODE,
  type CODE,
  DESCRIPTION,
  type Envelope,
  envelopeEntries,
  envelopeForm,
  envelopeSchema,
  type ResponseEntry,
} from '../schema/index.ts';
import {
  type ApiError,
  type ApiErrorCode,
  ERROR_KIND,
  type EventEntry,
  type QueuedEntry,
  RETRYABLE,
  type SendResult,
} from './types.ts';

/** Parse a response body into an envelope; anything else means the service broke its contract. */
export function parseEnvelope(body: string, httpStatus: number): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new EvkitError(
      'E_CONTRACT',
      `the service answered HTTP ${httpStatus} with a body that is not JSON`,
      {
        details: { check: 'answer', httpStatus, body: body.slice(0, 500) },
        cause,
      },
    );
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    throw new EvkitError(
      'E_CONTRACT',
      `the service answered HTTP ${httpStatus} with a body that is not an Event API envelope`,
      {
        details: { check: 'answer', httpStatus, body: body.slice(0, 500), issues: parsed.error.issues },
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

/** A typed error from one envelope entry that is not 1002. */
export function apiError(entry: ResponseEntry & { code: ApiErrorCode }): ApiError {
  return {
    ok: false,
    code: entry.code,
    kind: ERROR_KIND[entry.code],
    retryable: RETRYABLE[entry.code],
    description: entry.description,
    transid: entry.transid,
    correlationid: entry.correlationid,
  } as ApiError;
}

function isAccepted(entry: ResponseEntry): entry is ResponseEntry & { code: typeof CODE.queued } {
  return entry.code === ACCEPTED_CODE;
}

function eventEntry(entry: ResponseEntry, index: number): EventEntry {
  if (isAccepted(entry)) {
    const queued: QueuedEntry = {
      ok: true,
      code: entry.code,
      index,
      description: entry.description,
      transid: entry.transid,
      correlationid: entry.correlationid,
      burst: entry.description === DESCRIPTION.queuedInBurstMode,
    };
    return queued;
  }
  return { ...apiError(entry as ResponseEntry & { code: ApiErrorCode }), index };
}

/**
 * The discriminated result of an envelope. An array answers per event; an object answers for the whole request,
 * except a lone 1002, which is normalised to a one-event answer (both forms of acceptance read the same).
 */
export function toResult(envelope: Envelope, exchange: { attempts: number; httpStatus: number }): SendResult {
  const form = envelopeForm(envelope);
  const entries = envelopeEntries(envelope);
  const first = entries[0];
  if (form === 'object' && first && !isAccepted(first)) {
    return {
      outcome: 'rejected',
      error: apiError(first as ResponseEntry & { code: ApiErrorCode }),
      form,
      ...exchange,
    };
  }
  const events = entries.map(eventEntry);
  const queued = events.filter((e): e is QueuedEntry => e.ok);
  if (queued.length === events.length) {
    return { outcome: 'queued', entries: queued, burst: queued.some((e) => e.burst), form, ...exchange };
  }
  return { outcome: 'event-errors', entries: events, form, ...exchange };
}
