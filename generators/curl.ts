import { HEADER } from '../src/schema/index.ts';
import type { Case } from './case.ts';

/** Quote a string for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

// The address curl uses by default on loopback; any other is bound with --interface.
const DEFAULT_SOURCE = '127.0.0.1';

/** A curl command line that sends a case as it was generated (source address, headers, exact body bytes). */
export function caseToCurl(c: Case, baseUrl: string): string {
  const parts = ['curl', '-sS', '-X', c.method, shellQuote(`${baseUrl.replace(/\/$/, '')}${c.path}`)];
  if (c.sourceIp !== DEFAULT_SOURCE) parts.push('--interface', c.sourceIp);
  for (const [name, value] of Object.entries(c.headers)) {
    // curl drops a header given as "name:" with nothing after it; "name;" sends it empty.
    parts.push('-H', shellQuote(value.trim() === '' ? `${name};` : `${name}: ${value}`));
  }
  if (!(HEADER.contentType in c.headers)) parts.push('-H', shellQuote(`${HEADER.contentType}:`));
  if (c.bodyEncoding === 'base64') {
    return `printf %s ${shellQuote(c.body)} | base64 -d | ${parts.join(' ')} --data-binary @-`;
  }
  // A body starting with @ would name a file to curl: pipe it instead.
  if (c.body.startsWith('@')) return `printf %s ${shellQuote(c.body)} | ${parts.join(' ')} --data-binary @-`;
  parts.push('--data-binary', shellQuote(c.body));
  return parts.join(' ');
}
