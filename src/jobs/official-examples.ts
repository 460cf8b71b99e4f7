import { evaluateRequest } from '../evaluate/evaluate.ts';
import type { EvaluatorServices } from '../evaluate/types.ts';
import { HEADER } from '../schema/catalog.ts';
import examples from '../schema/official-examples.json' with { type: 'json' };
import { type Envelope, envelopeSchema } from '../schema/response.ts';
import type { TenantFile } from '../schema/tenant.ts';

/** The official request examples, by name. */
export const OFFICIAL_REQUESTS: Readonly<Record<string, unknown>> = examples.requests;
/** The official response examples, by code. */
export const OFFICIAL_RESPONSES: Readonly<Record<string, unknown>> = examples.responses;

/** The outcome of one official request example against a tenant. */
export interface ExampleEvaluation {
  readonly name: string;
  readonly envelope: Envelope;
}

/** Evaluate each official request example with the first service key of the tenant file's first tenant. */
export async function evaluateOfficialExamples(
  file: TenantFile,
  services: EvaluatorServices,
): Promise<readonly ExampleEvaluation[]> {
  const tenant = file.tenants[0];
  const key = tenant?.services[0]?.keys.find((k) => k.active)?.value;
  if (!tenant || key === undefined) throw new RangeError('the tenant file needs a tenant with an active key');
  const out: ExampleEvaluation[] = [];
  for (const [name, body] of Object.entries(OFFICIAL_REQUESTS)) {
    const evaluation = await evaluateRequest(
      {
        headers: { [HEADER.key]: key, [HEADER.contentType]: 'application/json' },
        body: new TextEncoder().encode(JSON.stringify(body)),
        sourceIp: '127.0.0.1',
      },
      tenant,
      file.evaluator,
      services,
    );
    out.push({ name, envelope: envelopeSchema.parse(evaluation.envelope) });
  }
  return out;
}
