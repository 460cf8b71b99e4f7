import { FIELD } from '../../src/schema/catalog.ts';

/** A minimal valid request body: `count` events of one evtid, each with a correlationid. */
export function builtinBody(evtid: string, count: number): string {
  const events = [];
  for (let i = 0; i < count; i++) events.push({ [FIELD.evtid]: evtid, [FIELD.correlationid]: `evkit-${i}` });
  return JSON.stringify({ [FIELD.events]: events });
}

/**
 * The same body with exactly `count` events: its events repeated in order or cut. A body that is not a JSON
 * object with a non-empty `events` array is returned unchanged (invalid cases must stay invalid).
 */
export function withEventCount(body: string, count: number): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return body;
  const record = parsed as Record<string, unknown>;
  const events = record[FIELD.events];
  if (!Array.isArray(events) || events.length === 0 || events.length === count) return body;
  const out = [];
  for (let i = 0; i < count; i++) out.push(events[i % events.length]);
  return JSON.stringify({ ...record, [FIELD.events]: out });
}
