import { EvkitError } from '../../errors.ts';

/** Parse a positive number flag, or fail with a usage error that names the flag. */
export function parsePositive(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new EvkitError('E_USAGE', `${flag} must be a positive number, got "${value}"`, {
      details: { flag, example: '100', value },
    });
  }
  return n;
}
