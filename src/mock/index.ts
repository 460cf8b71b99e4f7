/** The src/mock room's face for the other rooms of evkit; the package's own face is public.ts. */

export type { MockProcess } from './child.ts';
export { spawnMock } from './child.ts';
export { CONTROL_PREFIX, parseJournalQuery } from './control.ts';
export type { MockCounters } from './counters.ts';
export { isLoopbackHost, loopbackLookup } from './destination.ts';
export type { DrainLeft, DrainReport } from './engine.ts';
export type { MockControl, MockTenantUpdate } from './handle.ts';
export { DEFAULT_JOURNAL_SIZE, eventFields, type JournalEntry, type JournalQuery } from './journal.ts';
export { jsonLineSink, type LogSink } from './log.ts';
export { REQUEST_LEVEL_CODES, type RequestLevelCode } from './next-answers.ts';
export { createRateLimiter } from './rate-limiter.ts';
export {
  type CloseOptions,
  DEFAULT_DRAIN_DEADLINE_MS,
  DEFAULT_MAX_CONNECTIONS,
  type MockHandle,
  type StartMockOptions,
  startMock,
  type UnfinishedNotification,
} from './server.ts';
export {
  isProviderStateName,
  PROVIDER_STATE_NAMES,
  PROVIDER_STATES,
  type ProviderStateName,
} from './states.ts';
export { loadTenantFile, parseTenantFileText, validateTenantFile } from './tenant-file.ts';
export { readTlsFiles } from './tls.ts';
