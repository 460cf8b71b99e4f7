import { describe, expect, it } from 'vitest';
import { REDACTED, redactConfig } from './redact.ts';

describe('redactConfig', () => {
  it('replaces values under secret-looking keys, at any depth, and keeps the rest', () => {
    const config = {
      rate: 50,
      key: 'k-123',
      jwtSecret: 'shh',
      brokerToken: 't',
      nested: { apiKey: 'a', password: 'p', keyFile: 'keys/dev.key', list: [{ serviceKey: 's' }] },
      eventsPerRequest: 1,
    };
    expect(redactConfig(config)).toEqual({
      rate: 50,
      key: REDACTED,
      jwtSecret: REDACTED,
      brokerToken: REDACTED,
      nested: {
        apiKey: REDACTED,
        password: REDACTED,
        keyFile: 'keys/dev.key',
        list: [{ serviceKey: REDACTED }],
      },
      eventsPerRequest: 1,
    });
    expect(config.key).toBe('k-123');
  });
});
