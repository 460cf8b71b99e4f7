/** Valid requests: json-schema-faker on the tenant's request schema, then realistic values filled in. */
import { generateSync, type JsonSchema } from 'json-schema-faker';
import { type Credentials, credentialHeaders, nodeJwtCrypto, signJwt } from '../src/auth/index.ts';
import type { Random } from '../src/random.ts';
import type { Event, EventRequest } from '../src/schema/index.ts';
import { EVENT_PATHS, FIELD, HEADER } from '../src/schema/index.ts';
import type { FileContext, JwtService, UsableTenant } from './context.ts';
import { tenantBatchSchema, tenantRequestSchema } from './schema.ts';
import { correlationId, extraParameters, futureExpiry, loopbackNotifyUrl } from './values.ts';

/** One event of a generated body (typed by the zod schema, so no field name is declared here). */
export type EventBody = Event;
/** A generated request body. */
export type RequestBody = EventRequest;

/** How a base request authenticates: a service key or a JWT of one of the tenant's services. */
export type Credential = Extract<Credentials, { type: 'key' | 'jwt' }>;

/** A valid request before it becomes a case; mutations start from it. */
export interface ValidBase {
  readonly tenant: UsableTenant;
  readonly body: RequestBody;
  /** The body as sent. */
  readonly text: string;
  readonly path: string;
  /** Content type and credential headers (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  readonly sourceIp: string;
  readonly credential: Credential;
}

/** Settings of a base factory. */
export interface BaseSettings {
  readonly file: FileContext;
  readonly nowMs: number;
  /** Events per request: 1..maxEvents. */
  readonly maxEvents: number;
  /** The loopback port of generated notify URLs. */
  readonly notifyPort: number;
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8'] as const;
/** Share of bodies sent pretty-printed, as some clients do. */
const PRETTY_SHARE = 0.1;
/** Share of requests that authenticate with a JWT when the service has a secret. */
const JWT_SHARE = 0.4;

/** What json-schema-faker returns for the tenant's request schema (placeholders where values are filled). */
export type Generated = Omit<RequestBody, 'events'> & { events: unknown[] };

/** Makes valid bases; holds per-run caches (specialised schemas, signed tokens). */
export interface BaseFactory {
  /** A fresh base: json-schema-faker, then realistic values. */
  next(random: Random): ValidBase;
  /** Realistic values for one json-schema-faker output (exposed for the benchmark's breakdown). */
  fill(tenant: UsableTenant, generated: Generated, random: Random): ValidBase;
  /** The tenant's specialised request schema. */
  schemaOf(tenant: UsableTenant): JsonSchema;
}

interface TenantQueue {
  readonly batchSchema: JsonSchema;
  /** json-schema-faker outputs not yet used, in order. */
  pending: Generated[];
  at: number;
}

/** Create a base factory for one generation run. */
export function createBaseFactory(settings: BaseSettings): BaseFactory {
  const queues = new Map<UsableTenant, TenantQueue>();
  const tokens = new Map<string, string>();
  const iat = Math.floor(settings.nowMs / 1000);

  const schemaOf = (tenant: UsableTenant): JsonSchema =>
    tenantRequestSchema(tenant.evtids, settings.maxEvents);

  // json-schema-faker makes every base, BATCH at a time per tenant: the batch is fixed in size, so a longer
  // run of the same seed starts with the shorter one.
  const generated = (tenant: UsableTenant, random: Random): Generated => {
    let queue = queues.get(tenant);
    if (!queue) {
      queue = { batchSchema: tenantBatchSchema(schemaOf(tenant)), pending: [], at: 0 };
      queues.set(tenant, queue);
    }
    if (queue.at >= queue.pending.length) {
      queue.pending = generateSync(queue.batchSchema, { seed: random.int(1, 0x7fffffff) }) as Generated[];
      queue.at = 0;
    }
    return queue.pending[queue.at++] as Generated;
  };

  // A client reuses its token for up to an hour, so one token per service and variant is realistic (and cheap).
  const tokenOf = (service: JwtService, withExp: boolean): string => {
    const cacheKey = `${service.service.id}\u0000${withExp}`;
    let token = tokens.get(cacheKey);
    if (!token) {
      const payload: Record<string, unknown> = { iss: service.service.id, iat };
      if (withExp) payload.exp = iat + 3600;
      token = signJwt(nodeJwtCrypto, payload, service.secret, { typ: 'JWT' });
      tokens.set(cacheKey, token);
    }
    return token;
  };

  const fillEvent = (tenant: UsableTenant, raw: unknown, random: Random): EventBody => {
    const generated = raw as Partial<EventBody> & Pick<EventBody, typeof FIELD.evtid>;
    const event: EventBody = { [FIELD.evtid]: generated.evtid };
    if (generated.correlationid !== undefined) event[FIELD.correlationid] = correlationId(random);
    const mandatory = tenant.mandatoryOf.get(event.evtid) ?? [];
    if (generated.parameters !== undefined || mandatory.length > 0) {
      const parameters: NonNullable<EventBody['parameters']> = {};
      extraParameters(random, parameters);
      for (const [name, make] of mandatory) parameters[name] = make(random);
      event.parameters = parameters;
    }
    return event;
  };

  const fill = (tenant: UsableTenant, generated: Generated, random: Random): ValidBase => {
    // Fields in the schema's order, as a client writing the documented example would.
    const body = {} as RequestBody;
    if (generated.expiry !== undefined) body[FIELD.expiry] = futureExpiry(settings.nowMs, random);
    if (generated.notifyurl !== undefined) {
      body[FIELD.notifyurl] = random.next() < 0.25 ? '' : loopbackNotifyUrl(random, settings.notifyPort);
    }
    const events: EventBody[] = [];
    for (const e of generated.events) events.push(fillEvent(tenant, e, random));
    body[FIELD.events] = events;

    const jwtService =
      tenant.jwtServices.length > 0 && (tenant.activeKeys.length === 0 || random.next() < JWT_SHARE)
        ? random.pick(tenant.jwtServices)
        : undefined;
    const credential: Credential = jwtService
      ? { type: 'jwt', serviceId: jwtService.service.id, secret: jwtService.service.jwtSecret ?? '' }
      : { type: 'key', key: random.pick(tenant.activeKeys) };
    const headers: Record<string, string> = {
      [HEADER.contentType]: random.pick(CONTENT_TYPES),
      ...credentialHeaders(credential, () => tokenOf(jwtService as JwtService, random.next() < 0.5)),
    };

    return {
      tenant,
      body,
      text: random.next() < PRETTY_SHARE ? JSON.stringify(body, null, 2) : JSON.stringify(body),
      path: random.pick(EVENT_PATHS),
      headers,
      sourceIp: tenant.insideIp,
      credential,
    };
  };

  return {
    next(random) {
      const tenant = random.pick(settings.file.usable);
      return fill(tenant, generated(tenant, random), random);
    },
    fill,
    schemaOf,
  };
}
