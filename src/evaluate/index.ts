/** The evaluator: a pure pipeline of named stages from a raw request to the exact envelope. */
export * from './credentials.ts';
export * from './evaluate.ts';
export * from './ip.ts';
export * from './stages.ts';
export * from './tenant.ts';
export * from './types.ts';
