import { z } from 'zod';
import {
  BEARER,
  BURST_LABEL,
  CATALOG,
  CODE,
  DESCRIPTION,
  type Envelope,
  EVENT_PATHS,
  envelopeSchema,
  eventRequestSchema,
  GUESS_LABEL,
  HEADER,
  REGION_BASE_URL,
  RESPONSE_CODES,
  type ResponseCode,
  type ResponseEntry,
} from '../schema/index.ts';

/** JSON Schemas of the request and the response envelope, by zod's own conversion (draft 2020-12). */
export function jsonSchemas(): { request: Record<string, unknown>; response: Record<string, unknown> } {
  return {
    request: z.toJSONSchema(eventRequestSchema, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >,
    response: z.toJSONSchema(envelopeSchema, { io: 'output', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >,
  };
}

/** A named example envelope of one code. */
export interface CodeExample {
  readonly name: string;
  readonly code: ResponseCode;
  readonly summary: string;
  readonly envelope: Envelope;
}

const exampleTransid = (n: number): string => `3f1c2b7e-5a4d-4c3b-9e2f-${n.toString(16).padStart(12, '0')}`;

/** One example per code in its default form, plus the documented variants; built from the catalog. */
export function codeExamples(): readonly CodeExample[] {
  const out: CodeExample[] = [];
  let n = 0;
  const add = (
    name: string,
    code: ResponseCode,
    description: string,
    form: 'object' | 'array',
    correlationid?: string,
    label?: string,
  ) => {
    n += 1;
    const entry: ResponseEntry = { code, description, transid: exampleTransid(n) };
    if (correlationid !== undefined) entry.correlationid = correlationid;
    out.push({
      name,
      code,
      summary: `${code} ${description}${label ? ` (${label})` : ''}`,
      envelope: { response: form === 'object' ? entry : [entry] },
    });
  };
  for (const code of RESPONSE_CODES) {
    const info = CATALOG[code];
    add(
      `code-${code}`,
      code,
      info.descriptions[0],
      info.form,
      info.form === 'array' ? 'ABC123' : undefined,
      info.source === 'guess' ? GUESS_LABEL : undefined,
    );
  }
  add('code-1002-burst', CODE.queued, DESCRIPTION.queuedInBurstMode, 'array', 'ABC123', BURST_LABEL);
  add('code-7004-empty-events', CODE.invalidParameters, DESCRIPTION.eventsEmpty, 'object');
  return out;
}

/** The OpenAPI 3.1 document of the endpoint, with an example for every code. */
export function openApiDocument(): Record<string, unknown> {
  const { request, response } = jsonSchemas();
  const { $schema: _a, ...requestSchema } = request;
  const { $schema: _b, ...responseSchema } = response;
  const examples = Object.fromEntries(
    codeExamples().map((e) => [e.name, { summary: e.summary, value: e.envelope }]),
  );
  const codeTable = RESPONSE_CODES.map(
    (c) =>
      `- ${c} ${CATALOG[c].message}: ${CATALOG[c].trigger} (${CATALOG[c].form}${CATALOG[c].source === 'guess' ? `; ${GUESS_LABEL}` : ''})`,
  ).join('\n');
  // Both spellings of the path, as the service accepts them: the reference shows the trailing slash.
  const operation = (operationId: string, summary: string) => ({
    post: {
      operationId,
      summary,
      requestBody: { required: true, content: { 'application/json': { schema: requestSchema } } },
      responses: {
        '200': {
          description: 'Every outcome, success or error, with its code in the body.',
          content: { 'application/json': { schema: responseSchema, examples } },
        },
      },
    },
  });
  const [bare, slash] = EVENT_PATHS;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Webex Connect Event API (as modelled by webex-connect-event-kit)',
      version: '1.0.0',
      description:
        'Custom Event v1. Every outcome is HTTP 200: read the outcome from the body `code`. Request-level outcomes come as one object, per-event outcomes as an array in request order.\n\n' +
        codeTable,
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: Object.entries(REGION_BASE_URL).map(([region, url]) => ({ url, description: region })),
    security: [{ serviceKey: [] }, { jwt: [] }],
    paths: {
      [bare]: operation('sendEvents', 'Queue one or more custom events.'),
      [slash]: operation(
        'sendEventsTrailingSlash',
        'Queue one or more custom events (the path as the reference writes it, with the trailing slash).',
      ),
    },
    components: {
      securitySchemes: {
        serviceKey: { type: 'apiKey', in: 'header', name: HEADER.key, description: 'The service key.' },
        jwt: {
          type: 'http',
          scheme: BEARER.toLowerCase(),
          bearerFormat: 'JWT',
          description:
            'HS256, iss = service id, iat, optional exp; signed with the base64-decoded service secret; valid 60 minutes. Wins over `key`.',
        },
      },
    },
  };
}
