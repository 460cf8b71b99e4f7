import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { EvkitError } from '../errors.ts';

/** One HTTP exchange as the client needs it: the status and the body text (the outcome is in the body). */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** POST a body and read the whole answer, or fail with E_NETWORK on a timeout or a transport error. */
export function postOnce(
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: Uint8Array,
  options: { timeoutMs: number; localAddress?: string | undefined },
): Promise<HttpAnswer> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.byteLength) },
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', fail);
      },
    );
    // One deadline for the whole exchange, not an idle timeout: a slow drip of bytes still times out.
    const timer = setTimeout(() => {
      req.destroy(
        new EvkitError('E_NETWORK', `no answer from ${url.origin} within ${options.timeoutMs} ms`, {
          details: { url: url.href, timeoutMs: options.timeoutMs },
        }),
      );
    }, options.timeoutMs);
    function fail(cause: unknown): void {
      clearTimeout(timer);
      if (cause instanceof EvkitError) reject(cause);
      else
        reject(
          new EvkitError('E_NETWORK', `cannot reach ${url.origin}: ${(cause as Error).message}`, {
            details: { url: url.href },
            cause,
          }),
        );
    }
    req.on('error', fail);
    req.end(body);
  });
}
