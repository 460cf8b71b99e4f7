import type { ResponseCode } from '../schema/catalog.ts';

/** One colour per response code: legends, stacked areas and tables share it (colour-blind-friendly hues). */
export const CODE_COLOUR = {
  '1002': '#1a7f37',
  '7000': '#8c564b',
  '7001': '#7b4fbf',
  '7002': '#d45fa6',
  '7003': '#9a9a16',
  '7004': '#1597a8',
  '7005': '#e6780e',
  '7010': '#2a6fdb',
  '7019': '#4b4fa6',
  '7020': '#d1242f',
  '7025': '#8c6d31',
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
  accepted: CODE_COLOUR['1002'],
  rejected: CODE_COLOUR['7020'],
  error: CODE_COLOUR.other,
} as const satisfies Record<'overall' | 'accepted' | 'rejected' | 'error', string>;

/** Colours for the lines of generic section charts, in turn. */
export const PALETTE = ['#2a6fdb', '#1a7f37', '#d1242f', '#7b4fbf', '#e6780e', '#1597a8', '#8c564b'] as const;
