/** Statistics: one percentile and median definition, and one rate-limit analysis. */

export {
  acceptedRate,
  limitedSeconds,
  recoveryFromSeries,
  recoveryTime,
  saturatedSeconds,
} from './rate-limit.ts';
export { median, percentile, percentileOfSorted } from './statistics.ts';
