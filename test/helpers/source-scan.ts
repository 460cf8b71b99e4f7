/** Drop comments: prose may quote the API; code may not re-declare it. */
export function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/[^\n]*/g, '$1');
}

/** Find quoted occurrences of `value` in a source text. */
export function quotedOccurrences(source: string, value: string): number {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (source.match(new RegExp(`(['"])${escaped}\\1`, 'g')) ?? []).length;
}
