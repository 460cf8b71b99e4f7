/** The src/client room's face for the other rooms of evkit: the package's face (public.ts) and the names only evkit uses. */
export * from './public.ts';
