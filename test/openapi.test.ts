import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { RESPONSE_CODES } from '../src/schema/catalog.ts';
import { envelopeEntries, envelopeSchema } from '../src/schema/response.ts';
import { runEvkit } from './helpers/cli.ts';

describe('evkit openapi', () => {
  it('prints a valid OpenAPI 3.1 document whose examples parse with the zod envelope schema', async () => {
    const { code, stdout } = await runEvkit(['openapi']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const content =
      doc.paths['/resources/v1/events/externalevent'].post.responses['200'].content['application/json'];
    const examples = Object.values(content.examples) as { value: unknown }[];
    const codes = new Set<string>();
    for (const e of examples)
      for (const entry of envelopeEntries(envelopeSchema.parse(e.value))) codes.add(entry.code);
    expect([...codes].sort()).toEqual([...RESPONSE_CODES].sort());
  });

  it('says in the schema that the 50-byte limit became a character limit', async () => {
    const { stdout } = await runEvkit(['openapi']);
    const doc = JSON.parse(stdout);
    const schema =
      doc.paths['/resources/v1/events/externalevent'].post.requestBody.content['application/json'].schema;
    const correlation = schema.properties.events.items.properties.correlationid;
    expect(correlation.maxLength).toBe(50);
    expect(correlation.description).toMatch(/bytes/);
    expect(correlation.description).toMatch(/characters/);
  });

  it('a validator catches a broken document (the check can fail)', async () => {
    const validator = new Validator();
    const result = await validator.validate({ openapi: '3.1.0', info: { title: 'x' }, paths: {} });
    expect(result.valid).toBe(false);
  });
});
