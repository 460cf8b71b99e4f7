/** The src/mock room's face for the other rooms of evkit: the package's face (public.ts) and the names only evkit uses. */

export { type MockProcess, spawnMock } from './child.ts';
export { parseJournalQuery } from './control.ts';
export { isLoopbackHost, loopbackLookup } from './destination.ts';
export { eventFields } from './journal.ts';
export * from './public.ts';
export { createRateLimiter } from './rate-limiter.ts';
export { DEFAULT_MAX_CONNECTIONS } from './server.ts';
export { readTlsFiles } from './tls.ts';
