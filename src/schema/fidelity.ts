/**
 * The labels that mark, wherever the toolkit shows it (OpenAPI export, reports), a behaviour the public reference
 * does not state for the Event API (docs/fidelity.md).
 */

/** A behaviour the public reference does not state: the default is the toolkit's choice. */
export const GUESS_LABEL = 'guess: the public reference does not state it';
/** Burst mode: documented for the Messaging API's TPS, not for Custom Event v1; an opt-in of the tenant. */
export const BURST_LABEL = 'opt-in; burst mode is documented for the Messaging API, not for custom events';
