/** The pacticipant names of our contracts; teams that fork them rename through the environment. */
export const DEFAULT_CONSUMER = 'evkit-client';
export const DEFAULT_PROVIDER = 'webex-connect-event-api';

/** The consumer and provider names: EVKIT_PACT_CONSUMER / EVKIT_PACT_PROVIDER override the defaults. */
export function pacticipants(env: NodeJS.ProcessEnv = process.env): { consumer: string; provider: string } {
  return {
    consumer: env.EVKIT_PACT_CONSUMER || DEFAULT_CONSUMER,
    provider: env.EVKIT_PACT_PROVIDER || DEFAULT_PROVIDER,
  };
}
