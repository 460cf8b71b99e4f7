import { EvkitError } from '../errors.ts';
import { normaliseScenario } from '../k6/index.ts';
import { isLoopbackHost } from '../mock/index.ts';

/** The highest planned arrival rate (req/s) of a script's scenarios, all running at once as an upper bound. */
export function peakPlannedRate(options: Record<string, unknown>): number {
  const scenarios = (options.scenarios ?? {}) as Record<string, Record<string, unknown>>;
  let total = 0;
  for (const [name, raw] of Object.entries(scenarios)) {
    const s = normaliseScenario(name, raw);
    total += Math.max(s.startRate, ...s.stages.map((st) => st.target)) * 1000;
  }
  return total;
}

/**
 * Refuse a target outside loopback unless the user allowed it and capped the rate, and refuse a plan whose
 * peak rate is above the cap. Both are usage errors (exit 2).
 */
export function guardTarget(
  target: string,
  opts: { allowRemote: boolean; maxRate: number; peakRate: number },
): void {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new EvkitError('E_URL', `--target must be a URL, got "${target}"`, {
      details: { flag: '--target', value: target },
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EvkitError('E_URL', `--target must be http(s), got ${url.protocol}`, {
      details: { flag: '--target', value: target },
    });
  }
  if (!isLoopbackHost(url.hostname) && !(opts.allowRemote && opts.maxRate > 0)) {
    throw new EvkitError(
      'E_REMOTE_TARGET',
      `refusing to load ${url.hostname}: it is not a loopback address`,
      { details: { host: url.hostname, action: 'load' } },
    );
  }
  if (opts.maxRate > 0 && opts.peakRate > opts.maxRate) {
    throw new EvkitError(
      'E_RATE_CAP',
      `the script plans up to ${Math.ceil(opts.peakRate)} req/s, above --max-rate ${opts.maxRate}`,
      { details: { peakRate: opts.peakRate, maxRate: opts.maxRate } },
    );
  }
}
