import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { EvkitError, type ReachFailure } from './errors.ts';
import { loopbackLookup } from './mock/index.ts';

/** How long a pre-flight connection may take before the target counts as unreachable. */
export const PREFLIGHT_TIMEOUT_MS = 5000;

/** Why a connection failed, by errno or TLS code family, in words a user acts on. */
const FAILURES: readonly { readonly match: RegExp; readonly why: string; readonly failure: ReachFailure }[] =
  [
    {
      match: /^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/,
      why: 'its host name does not resolve (DNS)',
      failure: 'dns',
    },
    {
      match: /^ECONNREFUSED$/,
      why: 'nothing listens there (connection refused)',
      failure: 'refused',
    },
    {
      match: /^(EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL)$/,
      why: 'the host is unreachable',
      failure: 'unreachable',
    },
    {
      match: /^ECONNRESET$/,
      why: 'the connection was reset',
      failure: 'reset',
    },
    {
      match: /^ETIMEDOUT$/,
      why: `no answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s`,
      failure: 'timeout',
    },
    {
      match: /^(ERR_SSL_|ERR_TLS_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|EPROTO)/,
      why: 'the TLS handshake failed',
      failure: 'tls',
    },
  ];

function open(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve, reject) => {
    const socket: Socket =
      url.protocol === 'https:'
        ? tlsConnect(
            { host, port, lookup: loopbackLookup, servername: /^[\d.:]+$/.test(host) ? undefined : host },
            () => done(),
          )
        : netConnect({ host, port, lookup: loopbackLookup }, () => done());
    const timer = setTimeout(() => {
      const error = new Error('timed out') as NodeJS.ErrnoException;
      error.code = 'ETIMEDOUT';
      socket.destroy(error);
    }, PREFLIGHT_TIMEOUT_MS);
    function done(): void {
      clearTimeout(timer);
      socket.end();
      socket.destroy();
      resolve();
    }
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

/**
 * Check, before a run starts, that a URL the user gave can be reached: the host resolves, a connection opens and,
 * for https, the TLS handshake succeeds. Otherwise a usage error (exit 2) in one line naming the flag.
 */
export async function checkReachable(target: string, flag: string): Promise<void> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new EvkitError('E_URL', `${flag} must be a URL, got "${target}"`, {
      details: { flag, value: target },
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EvkitError('E_URL', `${flag} must be an http:// or https:// URL, got "${target}"`, {
      details: { flag, value: target },
    });
  }
  try {
    // The connection resolves the name itself (localhost and *.localhost to loopback without DNS, RFC 6761).
    await open(url);
  } catch (cause) {
    const code = String((cause as NodeJS.ErrnoException).code ?? '');
    const failure = FAILURES.find((f) => f.match.test(code));
    throw new EvkitError(
      'E_UNREACHABLE',
      `${flag} ${url.origin} cannot be reached: ${failure?.why ?? (cause as Error).message}${code ? ` (${code})` : ''}`,
      { details: { flag, target, code, failure: failure?.failure }, cause },
    );
  }
}
