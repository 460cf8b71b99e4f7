/** Realistic field values the JSON Schema cannot express: byte-limited correlationids, expiries, notify URLs. */
import type { Random } from '../src/random.ts';
import { randomUuid } from '../src/random.ts';
import { CORRELATIONID_MAX_BYTES } from '../src/schema/index.ts';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Multi-byte characters by their UTF-8 length: the correlationid limit counts bytes, not characters. */
const MULTI_BYTE = {
  2: ['é', 'ß', 'ñ', 'ø', 'Ж'],
  3: ['€', '日', '本', '한', '✓'],
  4: ['😀', '🚀', '𝄞', '🎉'],
} as const;
type Width = keyof typeof MULTI_BYTE;
const WIDTHS: readonly Width[] = [2, 3, 4];

/** `n` random characters of [A-Za-z0-9]. */
export function alnum(random: Random, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += ALNUM[Math.floor(random.next() * ALNUM.length)];
  return out;
}

/** `n` random decimal digits, the first not 0. */
export function digits(random: Random, n: number): string {
  let out = String(random.int(1, 9));
  for (let i = 1; i < n; i++) out += String(random.int(0, 9));
  return out;
}

/** Multi-byte characters filling exactly `bytes` bytes (ASCII pads what the wide characters cannot). */
function multiByteRun(random: Random, bytes: number): string {
  let out = '';
  let left = bytes;
  while (left >= 2) {
    const width = random.pick(WIDTHS.filter((w) => w <= left));
    out += random.pick(MULTI_BYTE[width]);
    left -= width;
  }
  return out + alnum(random, left);
}

/** The ways a valid correlationid is made; the byte-exact ones sit on the 50-byte limit. */
const CORRELATION_STYLES: readonly ((random: Random) => string)[] = [
  (r) => alnum(r, r.int(1, 20)),
  (r) => randomUuid(r),
  (r) => `ORD-${digits(r, 8)}`,
  (r) => alnum(r, CORRELATIONID_MAX_BYTES),
  // Exactly 50 bytes of multi-byte text: far fewer than 50 characters.
  (r) => multiByteRun(r, CORRELATIONID_MAX_BYTES),
  // ASCII then one wide character that ends exactly on the limit.
  (r) => {
    const width = r.pick(WIDTHS);
    return alnum(r, CORRELATIONID_MAX_BYTES - width) + r.pick(MULTI_BYTE[width]);
  },
  // Mixed text a few bytes under the limit.
  (r) => `${alnum(r, r.int(0, 10))}${multiByteRun(r, r.int(2, 30))}`,
  () => '',
];

/** A valid correlationid: at most 50 bytes of UTF-8, often exactly at the limit with multi-byte characters. */
export function correlationId(random: Random): string {
  return random.pick(CORRELATION_STYLES)(random);
}

/** A correlationid over the byte limit yet within 50 characters (what JSON Schema's maxLength cannot catch). */
export function correlationIdOverLimit(random: Random): string {
  const over = random.int(1, 8);
  const style = random.int(0, 2);
  if (style === 0) return alnum(random, CORRELATIONID_MAX_BYTES - 1) + random.pick(MULTI_BYTE[2]); // 50 chars, 51 bytes
  if (style === 1) return multiByteRun(random, CORRELATIONID_MAX_BYTES + over);
  return random.pick(MULTI_BYTE[2]).repeat(Math.ceil((CORRELATIONID_MAX_BYTES + over) / 2));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The documented expiry spellings of one instant (all UTC); fractions of 1 to 9 digits, `Z` optional. */
const EXPIRY_FORMS: readonly ((d: Date, random: Random) => string)[] = [
  (d) => d.toISOString(),
  (d) => d.toISOString().slice(0, 19),
  (d) => `${d.toISOString().slice(0, 19)}Z`,
  (d, r) => {
    const fraction = `${pad(d.getUTCMilliseconds(), 3)}${digits(r, 6)}`.slice(0, r.int(1, 9));
    return `${d.toISOString().slice(0, 19)}.${fraction}${r.next() < 0.5 ? 'Z' : ''}`;
  },
];

/** An expiry spelled in one of the documented forms; forms without a fraction truncate to the second. */
export function formatExpiry(atMs: number, random: Random): string {
  return random.pick(EXPIRY_FORMS)(new Date(atMs), random);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An expiry in the future: 1 hour to 30 days after `nowMs`, so a corpus stays valid while it is used. */
export function futureExpiry(nowMs: number, random: Random): string {
  return formatExpiry(nowMs + random.int(HOUR, 30 * DAY), random);
}

/** An expiry in the past: from 1 second to 5 years before `nowMs`. */
export function pastExpiry(nowMs: number, random: Random): string {
  return formatExpiry(nowMs - random.int(1000, 5 * 365 * DAY), random);
}

const NOTIFY_PATHS: readonly ((random: Random) => string)[] = [
  () => 'notify',
  () => 'hooks/evkit',
  (r) => `callback?ref=${alnum(r, 8)}`,
  (r) => `events/${digits(r, 4)}/status`,
];

/** A notify URL on loopback only: the mock delivers there, and nothing leaves the machine. */
export function loopbackNotifyUrl(random: Random, port: number): string {
  return `http://127.0.0.1:${port}/${random.pick(NOTIFY_PATHS)(random)}`;
}

/** Makes values of one custom parameter. */
export type ValueMaker = (random: Random) => string | number;

/** Value makers by hints in a parameter's name; values are never empty (empty means missing). */
const VALUE_MAKERS: readonly (readonly [RegExp, (name: string) => ValueMaker])[] = [
  [/phone|contact|mobile|msisdn|number/i, () => (r) => `+1415555${digits(r, 4)}`],
  [
    /id$/i,
    (name) => {
      const prefix = name.slice(0, 3).toUpperCase();
      return (r) => (r.next() < 0.5 ? `${prefix}-${digits(r, 6)}` : Number(digits(r, 6)));
    },
  ],
  [/mail/i, () => (r) => `user${digits(r, 3)}@example.com`],
  [/amount|count|qty|quantity/i, () => (r) => r.int(1, 500)],
];

/** The maker of realistic values for a parameter name (chosen once per name, not per value). */
export function valueMaker(name: string): ValueMaker {
  for (const [pattern, make] of VALUE_MAKERS) if (pattern.test(name)) return make(name);
  return (r) => alnum(r, r.int(3, 12));
}

/** Optional extra parameters an event may carry, with every JSON type the schema allows. */
const EXTRA_PARAMETERS: readonly [string, (random: Random) => string | number | boolean | null][] = [
  ['channel', (r) => r.pick(['sms', 'email', 'whatsapp', 'voice'])],
  ['locale', (r) => r.pick(['en-US', 'fr-FR', 'de-DE', 'ja-JP', 'pt-BR'])],
  ['priority', (r) => r.int(1, 5)],
  ['vip', (r) => r.next() < 0.5],
  ['note', (r) => (r.next() < 0.3 ? null : `${alnum(r, 4)} ${multiByteRun(r, r.int(2, 9))}`)],
  ['amount', (r) => Math.round(r.next() * 100_000) / 100],
];

/** Zero to three optional parameters. */
export function extraParameters(
  random: Random,
  into: Record<string, string | number | boolean | null>,
): void {
  const n = random.int(0, 3);
  for (let i = 0; i < n; i++) {
    const [name, make] = random.pick(EXTRA_PARAMETERS);
    if (!(name in into)) into[name] = make(random);
  }
}
