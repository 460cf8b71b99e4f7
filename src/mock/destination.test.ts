import { describe, expect, it } from 'vitest';
import { checkDestination, isLoopbackHost } from './destination.ts';

describe('notification destinations', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.9.8.7', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['api.localhost', true],
    ['10.0.0.1', false],
    ['example.com', false],
    ['::2', false],
  ])('%s is loopback: %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('delivers to loopback, or to hosts the tenant file allows, over http(s) only', () => {
    expect(checkDestination('http://127.0.0.1:9/n', []).ok).toBe(true);
    expect(checkDestination('https://hooks.example.com/n', []).ok).toBe(false);
    expect(checkDestination('https://hooks.example.com/n', ['HOOKS.example.com']).ok).toBe(true);
    expect(checkDestination('ftp://127.0.0.1/n', []).ok).toBe(false);
    expect(checkDestination('not a url', []).ok).toBe(false);
  });
});
