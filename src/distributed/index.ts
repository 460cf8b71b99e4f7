/** Runs split over instances: execution segments on this machine, k6-operator manifests for a cluster. */
export { EMIT_KINDS, emitK6Operator } from './emit.ts';
export { runSegments } from './run-segments.ts';
