/** What a config key that may hold a secret looks like (keys, JWT secrets, tokens, passwords). */
const SECRET_KEY = /secret|token|passw(or)?d|credential|authorization|^(api[-_]?|service[-_]?)?key$/i;

/** The placeholder a redacted value becomes. */
export const REDACTED = '[redacted]';

/**
 * A copy of a run's config with every value under a secret-looking key replaced: secrets come from the
 * environment or files and must never land in a report, even when a caller passes its whole settings object.
 */
export function redactConfig(config: Record<string, unknown>): Record<string, unknown> {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v !== undefined ? REDACTED : walk(v)]),
    );
  };
  return walk(config) as Record<string, unknown>;
}
