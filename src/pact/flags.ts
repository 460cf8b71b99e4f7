import { EvkitError } from '../errors.ts';

/** A non-negative integer flag, or a usage error that names the flag. */
export function parseCount(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new EvkitError('E_USAGE', `${flag} must be a whole number >= 0, got "${value}"`, {
      details: { flag, example: '2', value },
    });
  }
  return n;
}
