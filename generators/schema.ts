/** The JSON Schema json-schema-faker works from: the request schema's own, specialised for one tenant. */
import type { JsonSchema } from 'json-schema-faker';
import { jsonSchemas } from '../src/export/index.ts';
import { FIELD } from '../src/schema/index.ts';

type SchemaObject = Record<string, unknown>;

let cached: SchemaObject | undefined;

/** The request body's JSON Schema, converted by zod from `eventRequestSchema` (the OpenAPI export's own). */
export function requestJsonSchema(): SchemaObject {
  cached ??= jsonSchemas().request;
  return cached;
}

function child(schema: SchemaObject, ...path: string[]): SchemaObject {
  let node: unknown = schema;
  for (const key of path) {
    node = node !== null && typeof node === 'object' ? (node as SchemaObject)[key] : undefined;
  }
  if (node === null || typeof node !== 'object') {
    // The request schema changed shape: the specialisation below must follow it.
    throw new Error(`request JSON Schema has no ${path.join('/')}`);
  }
  return node as SchemaObject;
}

/** A value json-schema-faker puts where the generators fill in a realistic one afterwards. */
export const FILL = '';

/** Request bodies json-schema-faker makes per call: one call's fixed set-up is shared by the batch. */
export const BATCH = 32;

/**
 * Specialise the request JSON Schema for a tenant, keeping its structure (types, `required`, `minItems`):
 * - `evtid` is one of the tenant's events (any other string is a 7004);
 * - `correlationid`, `expiry` and `notifyurl` are placeholders: JSON Schema cannot say "50 bytes of UTF-8",
 *   "after the injected clock" or "loopback only", so generators/values.ts fills them;
 * - `parameters` is a placeholder too: its content depends on the evtid (the event's mandatory parameters);
 * - `events` holds 1..maxEvents items.
 * json-schema-faker still decides which optional fields a request carries, how many events it has and which
 * events they are.
 */
export function tenantRequestSchema(evtids: readonly string[], maxEvents: number): JsonSchema {
  const raw = requestJsonSchema();
  const properties = child(raw, 'properties');
  const events = child(properties, FIELD.events);
  const item = child(events, 'items');
  const itemProperties = child(item, 'properties');
  const { $schema: _dialect, title: _title, description: _description, ...body } = raw;
  return {
    ...body,
    properties: {
      [FIELD.expiry]: { type: child(properties, FIELD.expiry).type, enum: [FILL] },
      [FIELD.notifyurl]: { type: child(properties, FIELD.notifyurl).type, enum: [FILL] },
      [FIELD.events]: {
        type: events.type,
        minItems: events.minItems,
        maxItems: maxEvents,
        items: {
          type: item.type,
          required: item.required,
          properties: {
            [FIELD.evtid]: { type: child(itemProperties, FIELD.evtid).type, enum: [...evtids] },
            [FIELD.correlationid]: { type: child(itemProperties, FIELD.correlationid).type, enum: [FILL] },
            [FIELD.parameters]: { type: child(itemProperties, FIELD.parameters).type, enum: [FILL] },
          },
        },
      },
    },
  } as JsonSchema;
}

/** A batch of `BATCH` request bodies of the tenant's schema, for one json-schema-faker call. */
export function tenantBatchSchema(requestSchema: JsonSchema): JsonSchema {
  return { type: 'array', minItems: BATCH, maxItems: BATCH, items: requestSchema };
}
