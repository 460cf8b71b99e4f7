import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, redact } from './log.ts';

describe('log redaction', () => {
  it('replaces keys, Authorization, signatures, secrets and tokens at any depth', () => {
    const line = redact({
      headers: {
        key: 'evkit-demo-key',
        authorization: 'Bearer abc',
        'x-hub-signature': 'sha256=1',
        host: 'h',
      },
      service: { jwtSecret: 's', notifySecret: 'n', keys: [{ value: 'k', active: true }] },
      adminToken: 't',
      codes: ['1002'],
    });
    const text = JSON.stringify(line);
    for (const secret of ['evkit-demo-key', 'Bearer abc', 'sha256=1', '"s"', '"n"', '"k"', '"t"']) {
      expect(text).not.toContain(secret);
    }
    expect(line).toMatchObject({ headers: { key: REDACTED, host: 'h' }, codes: ['1002'] });
  });

  it('a logger without a sink does nothing; with one it adds time and level', () => {
    expect(() => createLogger(undefined).info('x', { key: 'k' })).not.toThrow();
    const lines: Record<string, unknown>[] = [];
    createLogger((l) => lines.push(l)).warn('careful', { authorization: 'Bearer x' });
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'careful', authorization: REDACTED });
    expect(typeof lines[0]?.time).toBe('string');
  });
});
