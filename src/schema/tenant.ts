import { z } from 'zod';
import { evaluatorOptionsSchema } from './options.ts';

/** A service key and whether it is active (an inactive key answers 7001). */
export const serviceKeySchema = z.strictObject({
  value: z.string().min(1),
  active: z.boolean().default(true),
});

/** A service: its keys, its JWT secret (base64, as the platform shows it) and its notify URL. */
export const serviceSchema = z.strictObject({
  id: z.string().min(1).describe('the service id; a JWT names it in `iss`'),
  keys: z.array(serviceKeySchema).default([]),
  jwtSecret: z
    .base64()
    .min(1)
    .optional()
    .describe('base64 service secret; the JWT is signed with its decoded bytes'),
  notifyUrl: z.url().optional(),
  notifySecret: z
    .string()
    .min(1)
    .optional()
    .describe(
      'when set, notifications carry x-hub-signature: the hex HMAC (notify.signature) of the raw body, no prefix',
    ),
});

/** A custom event and its mandatory custom parameters (a missing one answers 7025). */
export const tenantEventSchema = z.strictObject({
  evtid: z.string().min(1),
  mandatoryParameters: z.array(z.string().min(1)).default([]),
});

/** Latency added to every answer, seeded. */
export const latencySchema = z.discriminatedUnion('distribution', [
  z.strictObject({ distribution: z.literal('none') }),
  z.strictObject({ distribution: z.literal('fixed'), ms: z.number().nonnegative() }),
  z.strictObject({
    distribution: z.literal('uniform'),
    minMs: z.number().nonnegative(),
    maxMs: z.number().nonnegative(),
  }),
  z.strictObject({
    distribution: z.literal('lognormal'),
    medianMs: z.number().positive(),
    sigma: z.number().positive(),
  }),
]);

/** Fault injection: 7005 with a probability or for the next N requests, and latency. */
export const faultsSchema = z.strictObject({
  seed: z.number().int().default(1),
  internalErrorRate: z.number().min(0).max(1).default(0),
  internalErrorNext: z.number().int().nonnegative().default(0),
  latency: latencySchema.default({ distribution: 'none' }),
});

/** The rate limit: provisioned TPS, burst mode, window kind and what is counted. */
/** The rate limiter's window kinds (`rateLimit.window`). */
export const LIMITER_WINDOWS = ['fixed', 'sliding'] as const;
/** What the rate limiter counts (`rateLimit.countBy`). */
export const LIMITER_COUNTS = ['requests', 'events'] as const;

export const rateLimitSchema = z.strictObject({
  tps: z.number().int().positive().describe('provisioned transactions per second'),
  burst: z
    .boolean()
    .default(false)
    .describe(
      'opt-in burst mode: min(0.5 × TPS, 100) extra per second, "Queued in burst mode"; documented for the Messaging API, not for custom events',
    ),
  burstBudgetSeconds: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('seconds of burst allowed per minute; unlimited when absent'),
  window: z
    .enum(LIMITER_WINDOWS)
    .default('fixed')
    .describe('fixed one-second windows aligned to wall-clock seconds, or a sliding one-second window'),
  countBy: z.enum(LIMITER_COUNTS).default('requests'),
});

/** The documented defaults of outbound-webhook delivery: 3 retries 60 s apart, a 10 s timeout. */
export const NOTIFY_DEFAULTS = {
  retries: 3,
  retryDelayMs: 60_000,
  timeoutMs: 10_000,
  allowHosts: [] as string[],
  signature: 'sha256',
  maxPending: 10_000,
} as const;

/** Notification delivery of accepted events (the platform's outbound-webhook rules, docs/mock.md). */
export const notifySchema = z.strictObject({
  retries: z.number().int().nonnegative().default(NOTIFY_DEFAULTS.retries),
  retryDelayMs: z
    .number()
    .int()
    .nonnegative()
    .default(NOTIFY_DEFAULTS.retryDelayMs)
    .describe('delay between attempts; tests set a few ms'),
  timeoutMs: z.number().int().positive().default(NOTIFY_DEFAULTS.timeoutMs),
  allowHosts: z
    .array(z.string().min(1))
    .default([])
    .describe('hosts beyond loopback that may receive notifications; empty means loopback only'),
  signature: z
    .enum(['sha256', 'sha512'])
    .default(NOTIFY_DEFAULTS.signature)
    .describe('HMAC of x-hub-signature (the platform documents both; which one it uses is a guess)'),
  maxPending: z
    .number()
    .int()
    .positive()
    .default(NOTIFY_DEFAULTS.maxPending)
    .describe(
      'notifications of the tenant not yet delivered or given up; when full, new requests answer 7005 and the oldest waiting notification is dropped (both counted)',
    ),
});

/** One tenant of the mock endpoint. */
export const tenantSchema = z.strictObject({
  id: z.string().min(1),
  services: z.array(serviceSchema).min(1),
  events: z.array(tenantEventSchema).default([]),
  allowlist: z
    .array(z.string().min(1))
    .default([])
    .describe('IPv4/IPv6 addresses or CIDR ranges; empty allows every source'),
  trustProxy: z.boolean().default(false).describe('take the source IP from X-Forwarded-For'),
  rateLimit: rateLimitSchema.default({ tps: 100, burst: false, window: 'fixed', countBy: 'requests' }),
  faults: faultsSchema.default({
    seed: 1,
    internalErrorRate: 0,
    internalErrorNext: 0,
    latency: { distribution: 'none' },
  }),
  notify: notifySchema.default({ ...NOTIFY_DEFAULTS, allowHosts: [] }),
  queueCapacity: z
    .number()
    .int()
    .positive()
    .default(100_000)
    .describe('accepted events waiting for processing; when full the mock answers 7005'),
  maxEventsPerRequest: z
    .number()
    .int()
    .positive()
    .default(1000)
    .describe(
      'events one request may carry (guess: no documented limit); more answer 7004 "invalid value for param events" before any event is evaluated',
    ),
  journalSize: z
    .number()
    .int()
    .nonnegative()
    .default(100)
    .describe('event requests the request journal keeps for this tenant (the oldest go first); 0 = none'),
});
export type Tenant = z.infer<typeof tenantSchema>;
export type TenantInput = z.input<typeof tenantSchema>;
export type Service = z.infer<typeof serviceSchema>;

/** The tenant file: the mock endpoint's whole configuration. */
export const tenantFileSchema = z.strictObject({
  version: z.literal(1),
  tenants: z.array(tenantSchema).min(1),
  evaluator: evaluatorOptionsSchema.default(evaluatorOptionsSchema.parse({})),
});
export type TenantFile = z.infer<typeof tenantFileSchema>;
export type TenantFileInput = z.input<typeof tenantFileSchema>;
