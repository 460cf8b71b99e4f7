/** Drop comments: prose may quote the API; code may not re-declare it. */
export function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/[^\n]*/g, '$1');
}

/** Find quoted occurrences of `value` in a source text. */
export function quotedOccurrences(source: string, value: string): number {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (source.match(new RegExp(`(['"])${escaped}\\1`, 'g')) ?? []).length;
}

/**
 * Find a response code spelled as a value: a string literal that is exactly the code (quotes or backticks) or
 * a k6 metric tag `{code:NNNN}`. Prose that names a code inside a longer message is not a value.
 */
export function codeLiteralOccurrences(source: string, code: string): number {
  const quoted = source.match(new RegExp(`(['"\`])${code}\\1`, 'g')) ?? [];
  const tags = source.match(new RegExp(`\\{code:${code}\\}`, 'g')) ?? [];
  return quoted.length + tags.length;
}
