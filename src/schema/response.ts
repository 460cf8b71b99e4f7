import { z } from 'zod';
import { RESPONSE_CODES, RESPONSE_FIELD } from './catalog.ts';

/** One entry of a response envelope; all fields are strings. */
export const responseEntrySchema = z
  .object({
    [RESPONSE_FIELD.code]: z.enum(RESPONSE_CODES),
    [RESPONSE_FIELD.description]: z.string(),
    [RESPONSE_FIELD.transid]: z.string().min(1),
    [RESPONSE_FIELD.correlationid]: z.string().optional(),
  })
  .meta({ title: 'ResponseEntry' });
export type ResponseEntry = z.infer<typeof responseEntrySchema>;

/** The envelope: one object for request-level outcomes, an array (one per event, in order) for per-event ones. */
export const envelopeSchema = z
  .object({
    [RESPONSE_FIELD.response]: z.union([responseEntrySchema, z.array(responseEntrySchema).min(1)]),
  })
  .meta({ title: 'ResponseEnvelope' });
export type Envelope = z.infer<typeof envelopeSchema>;

/** The entries of an envelope as an array, whatever its form. */
export function envelopeEntries(envelope: Envelope): readonly ResponseEntry[] {
  const r = envelope.response;
  return Array.isArray(r) ? r : [r];
}

/** The form of an envelope. */
export function envelopeForm(envelope: Envelope): 'object' | 'array' {
  return Array.isArray(envelope.response) ? 'array' : 'object';
}
