import type { Evaluation } from '../evaluate/index.ts';
import type { StageName } from '../schema/index.ts';
import { FIELD, isResponseCode, type ResponseCode } from '../schema/index.ts';
import { redact } from './log.ts';

/** Entries kept per tenant when neither the tenant file nor a flag says otherwise. */
/**
 * Entries kept per tenant by default. Kept entries live long enough to reach the old generation of the heap: at
 * 1000 the mock's p99 under load rose from 2 ms to 6-9 ms (bench:mock), at 100 it stays at 2 ms.
 */
export const DEFAULT_JOURNAL_SIZE = 100;
/** Bytes of a body the journal keeps; the rest is cut (`bodyTruncated`), so the ring's memory stays bounded. */
export const JOURNAL_BODY_BYTES = 64 * 1024;

/** One event request as the mock received and answered it (`GET /__evkit/requests`). */
export interface JournalEntry {
  /** Order of arrival over the whole mock, from 1; a reset does not restart it. */
  readonly seq: number;
  /** When the mock evaluated it (ISO time, UTC). */
  readonly time: string;
  readonly method: string;
  /** The path as requested, query string included. */
  readonly path: string;
  /** Lower-case header names; secrets (key, authorization, ...) read `[redacted]`. */
  readonly headers: Readonly<Record<string, unknown>>;
  /** The body as UTF-8 text (invalid bytes replaced), at most `JOURNAL_BODY_BYTES` of it. */
  readonly body: string;
  readonly bodyBytes: number;
  readonly bodyTruncated: boolean;
  /** The source IP the evaluator judged. */
  readonly sourceIp: string;
  readonly tenantId: string;
  readonly serviceId: string | undefined;
  /** The stage that answered for the whole request, or `perEvent`; `forced` for a "next N answer X" answer. */
  readonly decidedBy: StageName | 'forced';
  /** The answer's codes, one per entry of the envelope. */
  readonly codes: readonly ResponseCode[];
  readonly transids: readonly string[];
  /** `evtid` and `correlationid` of each event the body carried (strings only), in request order. */
  readonly evtids: readonly string[];
  readonly correlationids: readonly string[];
}

/** A journal query; every field narrows the result, absent fields do not. */
export interface JournalQuery {
  readonly tenantId?: string;
  /** Entries whose answer has this code (any entry of a per-event answer). */
  readonly code?: ResponseCode;
  readonly evtid?: string;
  readonly correlationid?: string;
  /** Entries evaluated at or after this time (epoch ms). */
  readonly sinceMs?: number;
}

/** What the request path records; the entry is built only when someone reads the journal. */
interface Recorded {
  readonly seq: number;
  readonly timeMs: number;
  readonly path: string;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly body: Uint8Array;
  readonly bodyBytes: number;
  readonly sourceIp: string;
  /** What the journal reads of the evaluation, not the evaluation itself (that holds the parsed events). */
  readonly outcome: Pick<Evaluation, 'envelope' | 'decidedBy' | 'codes' | 'tenantId' | 'serviceId'>;
  readonly forced: boolean;
}

interface Ring {
  size: number;
  items: (Recorded | undefined)[];
  /** Next slot to write. */
  next: number;
}

/** The request journal: one bounded ring per tenant, so one tenant's traffic never evicts another's. */
export interface RequestJournal {
  /** Record one evaluated event request; O(1), no copy of a body within `JOURNAL_BODY_BYTES`. */
  record(
    path: string,
    headers: Readonly<Record<string, unknown>>,
    body: Uint8Array,
    sourceIp: string,
    evaluation: Evaluation,
    forced: boolean,
  ): void;
  /** The matching entries, oldest first. */
  query(query?: JournalQuery): JournalEntry[];
  /** Forget the entries of one tenant, or of all; returns how many were forgotten. */
  clear(tenantId?: string): number;
  /** Set a tenant's ring size (0 = record nothing); its entries are kept up to the new size. */
  configure(tenantId: string, size: number): void;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** The string `evtid` and `correlationid` of each event a JSON request body carries, in request order. */
export function eventFields(body: string): { evtids: string[]; correlationids: string[] } {
  const evtids: string[] = [];
  const correlationids: string[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { evtids, correlationids };
  }
  const events =
    parsed !== null && typeof parsed === 'object'
      ? (parsed as Record<string, unknown>)[FIELD.events]
      : undefined;
  if (!Array.isArray(events)) return { evtids, correlationids };
  for (const e of events) {
    if (e === null || typeof e !== 'object') continue;
    const { [FIELD.evtid]: evtid, [FIELD.correlationid]: correlationid } = e as Record<string, unknown>;
    if (typeof evtid === 'string') evtids.push(evtid);
    if (typeof correlationid === 'string') correlationids.push(correlationid);
  }
  return { evtids, correlationids };
}

function toEntry(r: Recorded): JournalEntry {
  const e = r.outcome;
  const body = decoder.decode(r.body);
  const response = e.envelope.response;
  const entries = Array.isArray(response) ? response : [response];
  return {
    seq: r.seq,
    time: new Date(r.timeMs).toISOString(),
    method: 'POST',
    path: r.path,
    headers: redact({ ...r.headers }) as Record<string, unknown>,
    body,
    bodyBytes: r.bodyBytes,
    bodyTruncated: r.body.length < r.bodyBytes,
    sourceIp: r.sourceIp,
    tenantId: e.tenantId,
    serviceId: e.serviceId,
    decidedBy: r.forced ? 'forced' : e.decidedBy,
    codes: e.codes.filter(isResponseCode),
    transids: entries.map((x) => x.transid),
    ...eventFields(body),
  };
}

function entriesOf(ring: Ring): Recorded[] {
  const out: Recorded[] = [];
  for (let i = 0; i < ring.size; i++) {
    const r = ring.items[(ring.next + i) % ring.size];
    if (r !== undefined) out.push(r);
  }
  return out;
}

function newRing(size: number, keep: readonly Recorded[] = []): Ring {
  const kept = size === 0 ? [] : keep.slice(-size);
  const items: (Recorded | undefined)[] = new Array(size).fill(undefined);
  kept.forEach((r, i) => {
    items[i] = r;
  });
  return { size, items, next: size === 0 ? 0 : kept.length % size };
}

/** Create the journal; `sizeOf` gives each tenant's ring size (tenants it does not know get `fallbackSize`). */
export function createRequestJournal(
  sizes: Iterable<readonly [string, number]>,
  options: { fallbackSize?: number; clock?: () => number } = {},
): RequestJournal {
  const fallbackSize = options.fallbackSize ?? DEFAULT_JOURNAL_SIZE;
  const now = options.clock ?? Date.now;
  const rings = new Map<string, Ring>();
  for (const [id, size] of sizes) rings.set(id, newRing(size));
  let seq = 0;

  const ringOf = (tenantId: string): Ring => {
    let ring = rings.get(tenantId);
    if (ring === undefined) {
      ring = newRing(fallbackSize);
      rings.set(tenantId, ring);
    }
    return ring;
  };

  return {
    record(path, headers, body, sourceIp, evaluation, forced) {
      const ring = ringOf(evaluation.tenantId);
      if (ring.size === 0) return;
      seq += 1;
      // The body is copied (at most JOURNAL_BODY_BYTES of it) into memory of its own: a view would keep the
      // whole read buffer or allocation pool it came from alive, and the ring would hold on to far more.
      const kept = new Uint8Array(body.subarray(0, JOURNAL_BODY_BYTES));
      ring.items[ring.next] = {
        seq,
        timeMs: now(),
        path,
        headers,
        body: kept,
        bodyBytes: body.length,
        sourceIp,
        outcome: {
          envelope: evaluation.envelope,
          decidedBy: evaluation.decidedBy,
          codes: evaluation.codes,
          tenantId: evaluation.tenantId,
          serviceId: evaluation.serviceId,
        },
        forced,
      };
      ring.next = (ring.next + 1) % ring.size;
    },

    query(query = {}) {
      const rs =
        query.tenantId === undefined
          ? [...rings.values()].flatMap(entriesOf).sort((a, b) => a.seq - b.seq)
          : entriesOf(rings.get(query.tenantId) ?? newRing(0));
      const out: JournalEntry[] = [];
      for (const r of rs) {
        if (query.sinceMs !== undefined && r.timeMs < query.sinceMs) continue;
        if (query.code !== undefined && !r.outcome.codes.includes(query.code)) continue;
        const entry = toEntry(r);
        if (query.evtid !== undefined && !entry.evtids.includes(query.evtid)) continue;
        if (query.correlationid !== undefined && !entry.correlationids.includes(query.correlationid))
          continue;
        out.push(entry);
      }
      return out;
    },

    clear(tenantId) {
      let dropped = 0;
      for (const [id, ring] of rings) {
        if (tenantId !== undefined && id !== tenantId) continue;
        dropped += entriesOf(ring).length;
        rings.set(id, newRing(ring.size));
      }
      return dropped;
    },

    configure(tenantId, size) {
      rings.set(tenantId, newRing(size, entriesOf(ringOf(tenantId))));
    },
  };
}
