/** The mock Event API endpoint: the HTTP adapter around the evaluator, with its stateful services. */
export * from './control.ts';
export * from './counters.ts';
export * from './destination.ts';
export * from './engine.ts';
export * from './fault-injector.ts';
export * from './journal.ts';
export * from './json-depth.ts';
export * from './log.ts';
export * from './next-answers.ts';
export * from './notification.ts';
export * from './notifier.ts';
export * from './queue.ts';
export * from './rate-limiter.ts';
export * from './server.ts';
export * from './states.ts';
export * from './tenant-file.ts';
export * from './tls.ts';
