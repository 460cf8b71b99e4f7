import { createHash, createHmac, randomBytes } from 'node:crypto';
import { toArrayBuffer } from './bytes.ts';

type Input = string | ArrayBuffer;
type Encoding = 'hex' | 'base64' | 'base64url' | 'base64rawurl' | 'binary';

// k6's names: "md4", "sha512_256"...; Node's: "md4", "sha512-256".
const nodeAlgorithm = (name: string) => name.replace('_', '-');
const bytes = (input: Input): Buffer => (typeof input === 'string' ? Buffer.from(input) : Buffer.from(input));

/** Encode a digest the way k6/crypto does (`base64url` is padded, `base64rawurl` is not). */
function encode(digest: Buffer, encoding: Encoding): string | ArrayBuffer {
  switch (encoding) {
    case 'hex':
      return digest.toString('hex');
    case 'base64':
      return digest.toString('base64');
    case 'base64rawurl':
      return digest.toString('base64url');
    case 'base64url': {
      const raw = digest.toString('base64url');
      return raw + '='.repeat((4 - (raw.length % 4)) % 4);
    }
    case 'binary':
      return toArrayBuffer(digest);
  }
}

const hasher = (h: ReturnType<typeof createHash>) => ({
  update(input: Input) {
    h.update(bytes(input));
  },
  digest(encoding: Encoding) {
    return encode(h.digest(), encoding);
  },
});

/** The `k6/crypto` module over node:crypto. */
export function createCryptoModule(): Record<string, unknown> {
  const digestFn = (algorithm: string) => (input: Input, encoding: Encoding) =>
    encode(createHash(nodeAlgorithm(algorithm)).update(bytes(input)).digest(), encoding);
  return {
    hmac: (algorithm: string, secret: Input, input: Input, encoding: Encoding) =>
      encode(createHmac(nodeAlgorithm(algorithm), bytes(secret)).update(bytes(input)).digest(), encoding),
    createHash: (algorithm: string) => hasher(createHash(nodeAlgorithm(algorithm))),
    createHMAC: (algorithm: string, secret: Input) =>
      hasher(createHmac(nodeAlgorithm(algorithm), bytes(secret)) as unknown as ReturnType<typeof createHash>),
    randomBytes: (size: number) => {
      const b = randomBytes(size);
      return toArrayBuffer(b);
    },
    md4: digestFn('md4'),
    md5: digestFn('md5'),
    sha1: digestFn('sha1'),
    sha256: digestFn('sha256'),
    sha384: digestFn('sha384'),
    sha512: digestFn('sha512'),
    sha512_224: digestFn('sha512_224'),
    sha512_256: digestFn('sha512_256'),
    ripemd160: digestFn('ripemd160'),
  };
}
