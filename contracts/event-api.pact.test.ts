import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { signServiceJwt } from '../src/client/auth.ts';
import { createEventClient } from '../src/client/client.ts';
import type { Credentials, SendResult } from '../src/client/types.ts';
import { pacticipants } from '../src/pact/names.ts';
import { DESCRIPTION, EVENT_PATH, HEADER } from '../src/schema/catalog.ts';
import { INTERACTIONS, type InteractionSpec } from './interactions.ts';
import { arrayEnvelope, BEARER_JWT_PATTERN, exampleTransids, objectEnvelope } from './matchers.ts';
import { CONTRACT_NOW_MS, stateParams } from './states.ts';

/** Where the pact goes: `evkit contracts --out` sets it; pact-js merges into an existing file, so it starts empty. */
const dir = process.env.EVKIT_PACT_DIR ?? 'pacts';
const pact = new PactV4({ ...pacticipants(), dir, logLevel: 'error' });

/** The credential headers as the contract declares them: a key exactly, a signed JWT by its shape. */
async function credentialHeaders(
  credentials: Credentials,
): Promise<Record<string, string | MatchersV3.Matcher<string>>> {
  switch (credentials.type) {
    case 'key':
      return { [HEADER.key]: credentials.key };
    case 'token':
      return { [HEADER.authorization]: `Bearer ${credentials.token}` };
    case 'jwt': {
      // The example is what the client signs at the contract's clock; the provider reads it at the same clock.
      const token = await signServiceJwt(credentials.serviceId, credentials.secret, CONTRACT_NOW_MS);
      return { [HEADER.authorization]: MatchersV3.regex(BEARER_JWT_PATTERN, `Bearer ${token}`) };
    }
    case 'none':
      return {};
  }
}

function responseBody(spec: InteractionSpec): Record<string, unknown> {
  return spec.response.form === 'object'
    ? objectEnvelope(spec.response.entry, spec.transidSeed)
    : arrayEnvelope(spec.response.entries, spec.transidSeed);
}

/** What the client must make of the answer: the outcome, each code, each transid, the burst flag. */
function expectResult(spec: InteractionSpec, result: SendResult): void {
  expect(result.httpStatus).toBe(200);
  expect(result.form).toBe(spec.response.form);
  if (spec.response.form === 'object') {
    const { entry } = spec.response;
    expect(result.outcome).toBe('rejected');
    if (result.outcome !== 'rejected') return;
    expect([result.error.code, result.error.description]).toEqual([entry.code, entry.description]);
    expect(result.error.transid).toBe(exampleTransids(spec.transidSeed, 1)[0]);
    return;
  }
  const expected = spec.response.entries;
  const allQueued = expected.every((e) => e.code === '1002');
  expect(result.outcome).toBe(allQueued ? 'queued' : 'event-errors');
  if (result.outcome === 'rejected') return;
  expect(result.entries.map((e) => [e.index, e.code, e.description, e.correlationid])).toEqual(
    expected.map((e, i) => [i, e.code, e.description, e.correlationid]),
  );
  expect(result.entries.map((e) => e.transid)).toEqual(exampleTransids(spec.transidSeed, expected.length));
  if (result.outcome === 'queued') {
    expect(result.burst).toBe(expected.some((e) => e.description === DESCRIPTION.queuedInBurstMode));
  }
}

describe(`the Event API contract (${pacticipants().consumer} -> ${pacticipants().provider})`, () => {
  for (const spec of INTERACTIONS) {
    it(spec.description, async () => {
      const headers = await credentialHeaders(spec.credentials);
      const { request } = spec;
      await pact
        .addInteraction()
        .given(spec.state, stateParams())
        .uponReceiving(spec.description)
        .withRequest('POST', EVENT_PATH, (b) => {
          b.headers(headers);
          if (request.kind === 'json') b.jsonBody(request.body);
          else b.body(request.contentType, Buffer.from(request.text, 'utf8'));
        })
        .willRespondWith(200, (b) => {
          b.jsonBody(responseBody(spec));
        })
        .executeTest(async (mock) => {
          // Through the real client, as a user would call it; no retries, so one request meets one interaction.
          const client = createEventClient({
            baseUrl: mock.url,
            credentials: spec.credentials,
            validate: false,
            clock: { now: () => CONTRACT_NOW_MS },
            retry: { maxAttempts: 1 },
          });
          const result =
            request.kind === 'json'
              ? await client.sendUnchecked(request.body)
              : await client.sendRaw(request.text, { contentType: request.contentType });
          expectResult(spec, result);
        });
    });
  }
});
