import { toArrayBuffer } from './bytes.ts';

type Variant = 'std' | 'rawstd' | 'url' | 'rawurl';

/** The `k6/encoding` module: b64encode / b64decode with k6's four variants. */
export function createEncodingModule(): Record<string, unknown> {
  return {
    b64encode(input: string | ArrayBuffer, variant: Variant = 'std'): string {
      const buf = typeof input === 'string' ? Buffer.from(input) : Buffer.from(input);
      const url = variant === 'url' || variant === 'rawurl';
      const raw = buf.toString(url ? 'base64url' : 'base64').replace(/=+$/, '');
      return variant === 'std' || variant === 'url' ? raw + '='.repeat((4 - (raw.length % 4)) % 4) : raw;
    },
    b64decode(input: string, variant: Variant = 'std', format?: 's'): ArrayBuffer | string {
      const url = variant === 'url' || variant === 'rawurl';
      const buf = Buffer.from(input, url ? 'base64url' : 'base64');
      return format === 's' ? buf.toString('utf8') : toArrayBuffer(buf);
    },
  };
}
