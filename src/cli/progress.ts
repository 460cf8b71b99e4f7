import type { LoadProgress } from '../load/index.ts';

/** In a pipe or CI log, one progress line per this many ms of the run. */
export const PIPED_PROGRESS_EVERY_MS = 5000;

/** Where progress goes: a TTY gets one live line, anything else a line every few seconds. */
export interface ProgressStream {
  readonly isTTY?: boolean | undefined;
  write(text: string): unknown;
}

/** One progress line: elapsed (of the total when known), the rate since the last line, sent, codes, dropped. */
export function progressText(p: LoadProgress, rate: number, totalMs: number | undefined): string {
  const codes = Object.entries(p.byCode)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code}=${n}`)
    .join(' ');
  const elapsed = `${Math.round(p.elapsedMs / 1000)}s${totalMs === undefined ? '' : `/${Math.round(totalMs / 1000)}s`}`;
  return `[${p.engine}] ${elapsed} ${Math.round(rate)} req/s sent=${p.sent}${codes ? ` ${codes}` : ''} dropped=${p.dropped}`;
}

/**
 * A progress printer for long runs: in a TTY the line is rewritten in place (elapsed/total, rate, codes so far);
 * in a pipe or CI log a full line every PIPED_PROGRESS_EVERY_MS of run time (judged by the run's own elapsed
 * time, not the wall clock), and the last one when the run ends.
 */
export function progressPrinter(
  stream: ProgressStream,
  options: { totalMs?: number | undefined; suffix?: string; everyMs?: number } = {},
): { update: (p: LoadProgress) => void; done: () => void } {
  const every = options.everyMs ?? PIPED_PROGRESS_EVERY_MS;
  const suffix = options.suffix ? ` ${options.suffix}` : '';
  let last: { elapsedMs: number; sent: number } = { elapsedMs: 0, sent: 0 };
  let live = false;
  let nextLineAt = every;
  let pending: { line: string } | undefined;
  return {
    update(p) {
      const dt = p.elapsedMs - last.elapsedMs;
      const rate = dt > 0 ? ((p.sent - last.sent) * 1000) / dt : 0;
      if (stream.isTTY === true) {
        stream.write(`\r\u001b[2K${progressText(p, rate, options.totalMs)}${suffix}`);
        live = true;
        last = { elapsedMs: p.elapsedMs, sent: p.sent };
      } else if (p.elapsedMs >= nextLineAt) {
        stream.write(`${progressText(p, rate, options.totalMs)}${suffix}\n`);
        nextLineAt = (Math.floor(p.elapsedMs / every) + 1) * every;
        last = { elapsedMs: p.elapsedMs, sent: p.sent };
        pending = undefined;
      } else {
        pending = { line: `${progressText(p, rate, options.totalMs)}${suffix}` };
      }
    },
    done() {
      if (live) stream.write('\n');
      // A pipe also gets where the run ended.
      if (pending) stream.write(`${pending.line}\n`);
      live = false;
      pending = undefined;
    },
  };
}
