/** The single source of truth for the Event API: constants, zod schemas, the tenant file and options. */
export * from './catalog.ts';
export * from './default-tenant.ts';
export * from './fidelity.ts';
export * from './options.ts';
export * from './request.ts';
export * from './response.ts';
export * from './tenant.ts';
