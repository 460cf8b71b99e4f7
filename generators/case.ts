import type { EnvelopeForm, ResponseCode } from '../src/schema/catalog.ts';

/** What a case expects back: the code of every entry, the envelope form and, when fixed, the description. */
export interface Expected {
  readonly code: ResponseCode;
  readonly form: EnvelopeForm;
  readonly description?: string;
}

/**
 * One generated request description (the SharedArray element of a k6 corpus). `body` is the raw body text;
 * with `bodyEncoding: 'base64'` it is the base64 of raw bytes that are not UTF-8.
 */
export interface Case {
  /** Stable: `${seed}-${index}`. */
  readonly id: string;
  readonly kind: 'valid' | 'invalid';
  /** `valid`, or the mutation's name (generators/mutations.ts). */
  readonly mutation: string;
  readonly method: 'POST';
  /** The event path, with or without its trailing slash. */
  readonly path: string;
  /** Lower-case header names. */
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  /** A 127.x address; 7010 cases use one outside the tenant's allowlist. */
  readonly sourceIp: string;
  readonly expected: Expected;
  readonly seed: number;
}

/** The kinds of corpus `generateCases` makes: mixed is half valid, half invalid spread over the codes. */
export const CASE_KINDS = ['valid', 'invalid', 'mixed'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
