/**
 * order-service's consumer contract with the Webex Connect Event API: every documented answer, through the
 * service's own client, with the interactions evkit builds.
 */
import { PactV4 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import {
  addEventApiInteraction,
  type EventApiInteraction,
  eventApiInteractions,
} from 'webex-connect-event-kit/pact';
import { type Auth, type Outcome, postEvents } from '../src/event-api.ts';

const pact = new PactV4({
  consumer: 'order-service',
  provider: 'webex-connect-event-api',
  dir: process.env.PACT_DIR ?? 'pacts',
  logLevel: 'error',
});

/** What order-service must do with each request-level answer. */
const EXPECTED_KIND: Record<string, Outcome['kind']> = {
  '1002': 'queued',
  '7000': 'rejected',
  '7001': 'rejected',
  '7002': 'rejected',
  '7003': 'rejected',
  '7004': 'rejected',
  '7005': 'retry-later',
  '7010': 'rejected',
  '7019': 'rejected',
  '7020': 'retry-later',
  '7025': 'rejected',
};

function expectedKind(interaction: EventApiInteraction): Outcome['kind'] {
  const { response } = interaction;
  if (response.form === 'array') {
    return response.entries.every((e) => e.code === '1002') ? 'queued' : 'partly-rejected';
  }
  return EXPECTED_KIND[response.entry.code] ?? 'rejected';
}

function authOf(interaction: EventApiInteraction): Auth {
  return interaction.credentials;
}

describe('order-service -> Webex Connect Event API', () => {
  const interactions = eventApiInteractions();

  it('covers all 11 documented codes', () => {
    expect(new Set(interactions.map((i) => i.code)).size).toBe(11);
  });

  for (const interaction of interactions) {
    it(interaction.description, async () => {
      const built = await addEventApiInteraction(pact, interaction);
      await built.executeTest(async (mock) => {
        const { request } = interaction;
        const outcome = await postEvents(
          { baseUrl: mock.url, auth: authOf(interaction) },
          request.kind === 'json' ? request.body : { text: request.text, contentType: request.contentType },
        );
        expect(outcome.kind).toBe(expectedKind(interaction));
        if (outcome.kind === 'partly-rejected' && interaction.response.form === 'array') {
          const codes = interaction.response.entries.map((e) => e.code);
          expect(outcome.rejected.map((r) => r.code)).toEqual(codes.filter((c) => c !== '1002'));
        }
        if (outcome.kind === 'queued') expect(outcome.transids.length).toBeGreaterThan(0);
      });
    });
  }
});
