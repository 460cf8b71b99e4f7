/** The k6 lib's face for k6 bundles (the built-in scripts and, through public.ts, a team's own): the Node-safe index and what runs only under k6. */
export { credentialHeaders, signJwt } from './auth.ts';
export * from './index.ts';
export { recordOutcome, recordRecovery, recordRejectedAtRate } from './metrics.ts';
export { loadPayloads, type Payload } from './payload.ts';
export { pick, send } from './request.ts';
