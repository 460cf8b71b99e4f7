/**
 * evkit's reference consumer: its own typed client (src/client) run through every interaction of
 * `eventApiInteractions` against the Pact mock server, built with the same helpers a consumer team uses.
 * `evkit contracts` and the main job run it; it needs no test runner.
 */
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { PactV4 } from '@pact-foundation/pact';
import type { EventClient, SendResult } from '../src/client/index.ts';
import { createEventClient } from '../src/client/index.ts';
import type { TenantFile } from '../src/schema/index.ts';
import { CODE, DESCRIPTION, RESPONSE_FIELD } from '../src/schema/index.ts';
import { type EventApiInteraction, eventApiInteractions } from './interactions.ts';
import { exampleTransids } from './matchers.ts';
import { addEventApiInteraction } from './pact.ts';
import { CONTRACT_NOW_MS } from './states.ts';

/** What the client must make of the answer: the outcome, each code, each transid, the burst flag. */
export function checkClientResult(interaction: EventApiInteraction, result: SendResult): void {
  const { response, transidSeed } = interaction;
  strictEqual(result.httpStatus, 200, 'HTTP status');
  strictEqual(result.form, response.form, 'envelope form');
  if (response.form === 'object') {
    const { entry } = response;
    if (result.outcome !== 'rejected') throw new Error(`outcome ${result.outcome}, expected rejected`);
    deepStrictEqual([result.error.code, result.error.description], [entry.code, entry.description]);
    strictEqual(result.error.transid, exampleTransids(transidSeed, 1)[0], RESPONSE_FIELD.transid);
    return;
  }
  const expected = response.entries;
  const allQueued = expected.every((e) => e.code === CODE.queued);
  if (result.outcome === 'rejected')
    throw new Error(`outcome rejected (${result.error.code}), expected per-event entries`);
  strictEqual(result.outcome, allQueued ? 'queued' : 'event-errors', 'outcome');
  deepStrictEqual(
    result.entries.map((e) => [e.index, e.code, e.description, e.correlationid]),
    expected.map((e, i) => [i, e.code, e.description, e.correlationid]),
  );
  deepStrictEqual(
    result.entries.map((e) => e.transid),
    exampleTransids(transidSeed, expected.length),
  );
  if (result.outcome === 'queued') {
    strictEqual(
      result.burst,
      expected.some((e) => e.description === DESCRIPTION.queuedInBurstMode),
      'burst flag',
    );
  }
}

/** Send an interaction's request through a client (the raw text of 7000, else the JSON body unvalidated). */
export function sendInteraction(client: EventClient, interaction: EventApiInteraction): Promise<SendResult> {
  const { request } = interaction;
  return request.kind === 'json'
    ? client.sendUnchecked(request.body)
    : client.sendRaw(request.text, { contentType: request.contentType });
}

/** The outcome of one interaction of the reference suite. */
export interface ReferenceOutcome {
  readonly id: string;
  readonly description: string;
  readonly passed: boolean;
  readonly error?: string;
}

/** Options of `runReferenceSuite`. */
export interface ReferenceSuiteOptions {
  /** Where pact-js writes the pact file. */
  readonly dir: string;
  readonly consumer: string;
  readonly provider: string;
  readonly tenantFile?: TenantFile | undefined;
  /** Called after each interaction (progress). */
  readonly onOutcome?: (outcome: ReferenceOutcome) => void;
}

/** Run every interaction through evkit's client; pact-js writes the pact when all of them passed. */
export async function runReferenceSuite(options: ReferenceSuiteOptions): Promise<ReferenceOutcome[]> {
  const pact = new PactV4({
    consumer: options.consumer,
    provider: options.provider,
    dir: options.dir,
    logLevel: 'error',
  });
  const outcomes: ReferenceOutcome[] = [];
  for (const interaction of eventApiInteractions({ tenantFile: options.tenantFile })) {
    let outcome: ReferenceOutcome;
    try {
      const built = await addEventApiInteraction(pact, interaction);
      await built.executeTest(async (mock) => {
        // As a user would call it; no retries, so one request meets one interaction.
        const client = createEventClient({
          baseUrl: mock.url,
          credentials: interaction.credentials,
          validate: false,
          clock: { now: () => CONTRACT_NOW_MS },
          retry: { maxAttempts: 1 },
        });
        checkClientResult(interaction, await sendInteraction(client, interaction));
      });
      outcome = { id: interaction.id, description: interaction.description, passed: true };
    } catch (error) {
      outcome = {
        id: interaction.id,
        description: interaction.description,
        passed: false,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  }
  return outcomes;
}
