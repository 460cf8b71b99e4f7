/**
 * webex-connect-event-kit/mock — the mock Event API endpoint as a test double: `startMock(options)` gives a
 * handle with its `url`, the control operations as typed methods (provider state, clock, tenant update,
 * reset, counters) and `close()`.
 */
export {
  type CloseOptions,
  CONTROL_PREFIX,
  DEFAULT_DRAIN_DEADLINE_MS,
  DEFAULT_JOURNAL_SIZE,
  type DrainLeft,
  type DrainReport,
  isProviderStateName,
  type JournalEntry,
  type JournalQuery,
  jsonLineSink,
  type LogSink,
  loadTenantFile,
  type MockControl,
  type MockCounters,
  type MockHandle,
  type MockTenantUpdate,
  PROVIDER_STATE_NAMES,
  PROVIDER_STATES,
  type ProviderStateName,
  parseTenantFileText,
  REQUEST_LEVEL_CODES,
  type RequestLevelCode,
  type StartMockOptions,
  startMock,
  type UnfinishedNotification,
  validateTenantFile,
} from './index.ts';
