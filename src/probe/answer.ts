import {
  CATALOG,
  CODE,
  invalidParamDescription,
  isResponseCode,
  mandatoryParamDescription,
  RESPONSE_FIELD,
} from '../schema/index.ts';

/** One entry of an answer as it came back, read leniently (a wrong answer must still be described). */
export interface AnswerEntry {
  readonly code: string | undefined;
  readonly description: string | undefined;
  readonly transid: string | undefined;
}

/** An HTTP answer of the event path, parsed far enough to judge it. */
export interface ProbeAnswer {
  /** HTTP status; 0 when the request failed before an answer. */
  readonly status: number;
  readonly text: string;
  /** `object` or `array` when the body has a `response` field of that shape, else `none`. */
  readonly form: 'object' | 'array' | 'none';
  readonly entries: readonly AnswerEntry[];
  /** Why no answer came back (transport error), when status is 0. */
  readonly error?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Parse an answer's body text into a ProbeAnswer; never throws. */
export function parseAnswer(status: number, text: string, error?: string): ProbeAnswer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const response =
    json !== null && typeof json === 'object'
      ? (json as Record<string, unknown>)[RESPONSE_FIELD.response]
      : undefined;
  const form = Array.isArray(response)
    ? 'array'
    : response !== null && typeof response === 'object'
      ? 'object'
      : 'none';
  const raw: unknown[] = form === 'array' ? (response as unknown[]) : form === 'object' ? [response] : [];
  const entries = raw.map((e): AnswerEntry => {
    const r = e !== null && typeof e === 'object' ? (e as Record<string, unknown>) : {};
    return {
      code: str(r[RESPONSE_FIELD.code]),
      description: str(r[RESPONSE_FIELD.description]),
      transid: str(r[RESPONSE_FIELD.transid]),
    };
  });
  return { status, text, form, entries, ...(error === undefined ? {} : { error }) };
}

/** The code of an answer: the single code of all its entries, `mixed`, or undefined when it has none. */
export function answerCode(answer: ProbeAnswer): string | undefined {
  const codes = new Set(answer.entries.map((e) => e.code));
  if (codes.size === 0) return undefined;
  return codes.size === 1 ? [...codes][0] : 'mixed';
}

// Descriptions the catalog allows beyond its list: the "invalid value for param <name>" and the 7025 template.
const HOLE = '\u0000';
function fitsTemplate(template: (name: string) => string, description: string): boolean {
  const [pre = '', post = ''] = template(HOLE).split(HOLE);
  return (
    description.length > pre.length + post.length && description.startsWith(pre) && description.endsWith(post)
  );
}

/** The parameter name a templated description names, if it fits the template. */
export function templateName(template: (name: string) => string, description: string): string | undefined {
  if (!fitsTemplate(template, description)) return undefined;
  const [pre = '', post = ''] = template(HOLE).split(HOLE);
  return description.slice(pre.length, description.length - post.length);
}

/** Whether a description is one the catalog allows for a code. */
export function descriptionAllowed(code: string, description: string): boolean {
  if (!isResponseCode(code)) return false;
  const info = CATALOG[code];
  if ((info.descriptions as readonly string[]).includes(description)) return true;
  if (code === CODE.invalidParameters) return fitsTemplate(invalidParamDescription, description);
  if (code === CODE.mandatoryParameterMissing) return fitsTemplate(mandatoryParamDescription, description);
  return false;
}

/**
 * What is wrong with an answer, by the response schema and the catalog: HTTP status other than 200, no
 * envelope, an unknown code, the wrong envelope form for its code, a description the catalog does not hold,
 * a missing transid. An empty list means the answer conforms.
 */
export function answerProblems(answer: ProbeAnswer): string[] {
  const problems: string[] = [];
  if (answer.status === 0) return [`no answer: ${answer.error ?? 'transport error'}`];
  if (answer.status !== 200) problems.push(`HTTP status ${answer.status}, not 200`);
  if (answer.form === 'none') {
    problems.push('no response envelope (a body with a "response" object or array)');
    return problems;
  }
  if (answer.entries.length === 0) problems.push('an empty response array');
  answer.entries.forEach((e, i) => {
    const at = answer.form === 'array' ? `entry ${i}: ` : '';
    if (e.code === undefined || !isResponseCode(e.code)) {
      problems.push(`${at}code ${JSON.stringify(e.code)} is not in the catalog`);
      return;
    }
    const info = CATALOG[e.code];
    if (info.level === 'request' && answer.form !== 'object')
      problems.push(`${at}${e.code} is a request-level code, answered in an array instead of one object`);
    if (info.level === 'event' && answer.form !== 'array')
      problems.push(`${at}${e.code} is a per-event code, answered as one object instead of an array`);
    if (e.description === undefined) problems.push(`${at}no description`);
    else if (!descriptionAllowed(e.code, e.description))
      problems.push(`${at}description ${JSON.stringify(e.description)} is not in the catalog for ${e.code}`);
    if (e.transid === undefined || e.transid === '') problems.push(`${at}no transid`);
  });
  return problems;
}

/** The comparable shape of an answer (status, form, codes and descriptions; transids differ run to run). */
export function answerShape(answer: ProbeAnswer): string {
  const entries = answer.entries.map((e) => `${e.code ?? '?'} ${JSON.stringify(e.description ?? null)}`);
  return `${answer.status} ${answer.form} [${entries.join(', ')}]`;
}
