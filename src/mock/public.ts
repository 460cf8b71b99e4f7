/**
 * webex-connect-event-kit/mock — the mock Event API endpoint as a test double: `startMock(options)` gives a
 * handle with its `url`, the control operations as typed methods (provider state, clock, tenant update,
 * reset, counters) and `close()`.
 */
export { CONTROL_PREFIX } from './control.ts';
export type { MockCounters } from './counters.ts';
export type { DrainLeft, DrainReport } from './engine.ts';
export type { MockControl, MockTenantUpdate } from './handle.ts';
export { DEFAULT_JOURNAL_SIZE, type JournalEntry, type JournalQuery } from './journal.ts';
export { jsonLineSink, type LogSink } from './log.ts';
export { REQUEST_LEVEL_CODES, type RequestLevelCode } from './next-answers.ts';
export {
  type CloseOptions,
  DEFAULT_DRAIN_DEADLINE_MS,
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
