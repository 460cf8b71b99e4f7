import type { Case } from './case.ts';

/** Output formats of a corpus: NDJSON (one case a line) or a JSON array for k6's SharedArray. */
export const CORPUS_FORMATS = ['ndjson', 'k6'] as const;
export type CorpusFormat = (typeof CORPUS_FORMATS)[number];

/** Serialise cases; both formats end with a newline. */
export function formatCases(cases: readonly Case[], format: CorpusFormat): string {
  if (format === 'k6') return `${JSON.stringify(cases)}\n`;
  let out = '';
  for (const c of cases) out += `${JSON.stringify(c)}\n`;
  return out;
}

/** The raw body bytes of a case, whatever its encoding. */
export function caseBodyBytes(c: Case): Uint8Array {
  return c.bodyEncoding === 'base64'
    ? Uint8Array.from(atob(c.body), (ch) => ch.charCodeAt(0))
    : new TextEncoder().encode(c.body);
}
