import { CODE, type ResponseCode } from '../schema/index.ts';

/** One colour per response code: legends, stacked areas and tables share it (colour-blind-friendly hues). */
export const CODE_COLOUR = {
  [CODE.queued]: '#1a7f37',
  [CODE.invalidJson]: '#8c564b',
  [CODE.authenticationFailed]: '#7b4fbf',
  [CODE.serviceKeyMissing]: '#d45fa6',
  [CODE.eventsMissing]: '#9a9a16',
  [CODE.invalidParameters]: '#1597a8',
  [CODE.internalError]: '#e6780e',
  [CODE.ipNotAllowlisted]: '#2a6fdb',
  [CODE.requestExpired]: '#4b4fa6',
  [CODE.rateLimited]: '#d1242f',
  [CODE.mandatoryParameterMissing]: '#8c6d31',
  other: '#5c6670',
} as const satisfies Record<ResponseCode | 'other', string>;

/** Colours of the series that are not a code. */
export const SERIES_COLOUR = {
  /** The 1002s answered "Queued in burst mode": a lighter shade of 1002's green. */
  burst: '#6fcf7f',
  target: '#1f2328',
  sent: '#2a6fdb',
  dropped: '#e6780e',
  marker: '#9a3412',
} as const;

/** Latency outcomes, coloured like the codes they stand for. */
export const LATENCY_COLOUR = {
  overall: '#2a6fdb',
  accepted: CODE_COLOUR[CODE.queued],
  rejected: CODE_COLOUR[CODE.rateLimited],
  error: CODE_COLOUR.other,
} as const satisfies Record<'overall' | 'accepted' | 'rejected' | 'error', string>;

/** Colours for the lines of generic section charts, in turn. */
export const PALETTE = ['#2a6fdb', '#1a7f37', '#d1242f', '#7b4fbf', '#e6780e', '#1597a8', '#8c564b'] as const;
