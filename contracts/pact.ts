import { MatchersV3, type PactV4 } from '@pact-foundation/pact';
import { bearer, type Credentials, credentialHeaders } from '../src/auth/index.ts';
import { signServiceJwt } from '../src/client/index.ts';
import { EVENT_PATH, HEADER } from '../src/schema/index.ts';
import type { EventApiInteraction } from './interactions.ts';
import { arrayEnvelope, BEARER_JWT_PATTERN, objectEnvelope } from './matchers.ts';
import { CONTRACT_NOW_MS } from './states.ts';

/** An interaction of pact-js v4 before its request is set (pact-js does not export the type by name). */
type V4UnconfiguredInteraction = ReturnType<PactV4['addInteraction']>;
/** An interaction of pact-js v4 with request and response set: call `executeTest` on it. */
export type V4InteractionWithResponse = ReturnType<
  ReturnType<V4UnconfiguredInteraction['withRequest']>['willRespondWith']
>;

/** What `addEventApiInteraction` needs of a PactV4 instance (a `new PactV4({...})` of the user's own). */
export interface PactV4Like {
  addInteraction(): V4UnconfiguredInteraction;
}

/** How the request of an interaction is matched by the Pact mock server. */
export interface AddInteractionOptions {
  /**
   * `exact` (default): the client must send the interaction's body as it is (give it `request.body`);
   * `type`: any JSON body of the same shape matches (for clients that build the body themselves). The provider
   * is always verified with the interaction's own body.
   */
  readonly requestBody?: 'exact' | 'type';
}

/** The credential headers as the contract declares them: a key exactly, a signed JWT by its shape. */
export async function contractCredentialHeaders(
  credentials: Credentials,
): Promise<Record<string, string | MatchersV3.Matcher<string>>> {
  if (credentials.type !== 'jwt') return credentialHeaders(credentials);
  // The example is signed at the contract's clock; the provider reads it at the same clock (the state).
  const token = await signServiceJwt(credentials.serviceId, credentials.secret, CONTRACT_NOW_MS);
  return { [HEADER.authorization]: MatchersV3.regex(BEARER_JWT_PATTERN, bearer(token)) };
}

/** The expected answer body, with Pact matchers: codes and descriptions exactly, transids by shape. */
export function contractResponseBody(interaction: EventApiInteraction): Record<string, unknown> {
  return interaction.response.form === 'object'
    ? objectEnvelope(interaction.response.entry, interaction.transidSeed)
    : arrayEnvelope(interaction.response.entries, interaction.transidSeed);
}

/**
 * Register one Event API interaction on the user's PactV4 instance: provider state and params, the request
 * (POST to the event path, credentials, body) and the answer (HTTP 200 and the envelope). Call `executeTest`
 * on the result and drive your own client against `mockServer.url`.
 */
export async function addEventApiInteraction(
  pact: PactV4Like,
  interaction: EventApiInteraction,
  options: AddInteractionOptions = {},
): Promise<V4InteractionWithResponse> {
  const headers = await contractCredentialHeaders(interaction.credentials);
  const { request } = interaction;
  return pact
    .addInteraction()
    .given(interaction.state, { ...interaction.stateParams })
    .uponReceiving(interaction.description)
    .withRequest('POST', EVENT_PATH, (b) => {
      b.headers(headers);
      if (request.kind === 'raw') b.body(request.contentType, Buffer.from(request.text, 'utf8'));
      else b.jsonBody(options.requestBody === 'type' ? MatchersV3.like(request.body) : request.body);
    })
    .willRespondWith(200, (b) => {
      b.jsonBody(contractResponseBody(interaction));
    });
}
