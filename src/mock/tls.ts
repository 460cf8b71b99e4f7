import { readFileSync } from 'node:fs';
import { generate } from 'selfsigned';
import { EvkitError } from '../errors.ts';

/** A PEM certificate and its private key. */
export interface TlsPems {
  readonly cert: string;
  readonly key: string;
}

/** Generate a self-signed certificate for localhost, 127.0.0.1 and ::1, valid for 30 days. */
export async function generateSelfSigned(): Promise<TlsPems> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 30 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** The PEMs the mock serves with: none (plain HTTP), generated (`true`), or given. */
export async function resolveTls(tls: boolean | TlsPems | undefined): Promise<TlsPems | undefined> {
  if (tls === undefined || tls === false) return undefined;
  return tls === true ? generateSelfSigned() : tls;
}

/** Read a certificate and key from PEM files (`--cert`, `--key`). */
export function readTlsFiles(certPath: string, keyPath: string): TlsPems {
  const read = (path: string, what: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch (cause) {
      throw new EvkitError('E_TLS_FILE', `cannot read the TLS ${what} ${path}: ${(cause as Error).message}`, {
        details: { path },
        cause,
      });
    }
  };
  return { cert: read(certPath, 'certificate'), key: read(keyPath, 'key') };
}
