import { type Case, generateCases } from '../generators/index.ts';
import { EvkitError } from '../src/errors.ts';
import type { TenantFile } from '../src/schema/index.ts';
import { ACCEPTED_CODE, FIELD, HEADER, type ResponseCode } from '../src/schema/index.ts';

/** The seed of every generated contract body: change it and the pact files change (on purpose only). */
export const CONTRACT_SEED = 20250602;
/** Cases generated per code to choose from; enough for every predicate below, few enough to stay fast. */
const POOL = 80;

/** An event of a JSON body, loosely typed: the contracts send what the generators made, valid or not. */
export type BodyEvent = Record<string, unknown>;
/** A JSON body, loosely typed. */
export type Body = Record<string, unknown>;

/** The parsed JSON body of a case (only for cases whose body is JSON). */
export function jsonBody(c: Case): Body {
  return JSON.parse(c.body) as Body;
}

/** The events of a case's JSON body. */
export function eventsOf(c: Case): BodyEvent[] {
  const events = jsonBody(c)[FIELD.events];
  return Array.isArray(events) ? (events as BodyEvent[]) : [];
}

/** Whether every event of a case carries a non-empty correlationid (so entries can be paired with events). */
export function everyEventCorrelated(c: Case): boolean {
  const events = eventsOf(c);
  return (
    events.length > 0 &&
    events.every((e) => typeof e[FIELD.correlationid] === 'string' && e[FIELD.correlationid] !== '')
  );
}

/** Whether a case authenticates with the service key header. */
export function usesKey(c: Case): boolean {
  return c.headers[HEADER.key] !== undefined && c.headers[HEADER.authorization] === undefined;
}

/** Picks generated cases for the interactions: one pool per code, from a fixed seed, tenant and clock. */
export interface CasePicker {
  /** The first generated case of a code that satisfies a predicate. */
  pick(code: ResponseCode, label: string, predicate: (c: Case) => boolean): Case;
  /** A case by mutation name, plus an optional further condition. */
  byMutation(code: ResponseCode, mutation: string, also?: (c: Case) => boolean): Case;
}

/** A case picker over the generators for one tenant file, seed and clock (pools are generated on demand). */
export function createCasePicker(options: { tenantFile: TenantFile; seed: number; now: number }): CasePicker {
  const pools = new Map<ResponseCode, Case[]>();
  const pool = (code: ResponseCode): Case[] => {
    let cases = pools.get(code);
    if (!cases) {
      cases = generateCases({
        kind: code === ACCEPTED_CODE ? 'valid' : 'invalid',
        code,
        count: POOL,
        seed: options.seed,
        now: options.now,
        tenantFile: options.tenantFile,
      });
      pools.set(code, cases);
    }
    return cases;
  };
  const pick = (code: ResponseCode, label: string, predicate: (c: Case) => boolean): Case => {
    const found = pool(code).find(predicate);
    if (!found) {
      throw new EvkitError(
        'E_NO_CASE',
        `no generated ${code} case for "${label}" among ${POOL} with seed ${options.seed}`,
        {
          details: { code, label, seed: options.seed },
        },
      );
    }
    return found;
  };
  return {
    pick,
    byMutation: (code, mutation, also = () => true) =>
      pick(code, mutation, (c) => c.mutation === mutation && c.bodyEncoding === 'utf8' && also(c)),
  };
}
