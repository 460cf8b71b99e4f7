import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { MetricRegistry, type MetricType, type SeriesData, type SeriesSpec } from '../k6/index.ts';

/** k6 `--out json` lines evkit reads. */
type Line =
  | { type: 'Metric'; metric: string; data: { type: MetricType; contains?: 'default' | 'time' | 'data' } }
  | { type: 'Point'; metric: string; data: { time: string; value: number; tags?: Record<string, string> } };

/** Replays k6 NDJSON points into the same series as the harness records; also usable on a growing file. */
export class PointReader {
  readonly registry: MetricRegistry;
  private startMs: number | undefined;
  private readonly types = new Map<string, MetricType>();

  constructor(series: readonly SeriesSpec[]) {
    this.registry = new MetricRegistry({ series });
  }

  /** Feed one line; malformed lines (a file still being written) are skipped. */
  line(text: string): void {
    if (text.length === 0) return;
    let parsed: Line;
    try {
      parsed = JSON.parse(text) as Line;
    } catch {
      return;
    }
    if (parsed.type === 'Metric') {
      this.types.set(parsed.metric, parsed.data.type);
      this.registry.define(parsed.metric, parsed.data.type, parsed.data.contains ?? 'default');
      return;
    }
    if (parsed.type !== 'Point') return;
    const time = Date.parse(parsed.data.time);
    if (this.startMs === undefined) {
      // k6 writes no start time: second 0 starts at the whole second of the first point.
      this.startMs = Math.floor(time / 1000) * 1000;
      this.registry.setStart(this.startMs);
    }
    const metric =
      this.registry.metrics.get(parsed.metric) ??
      this.registry.define(parsed.metric, this.types.get(parsed.metric) ?? 'counter');
    this.registry.add(metric, parsed.data.value, parsed.data.tags ?? {}, time);
  }

  /** Epoch ms of second 0 (undefined before the first point). */
  get start(): number | undefined {
    return this.startMs;
  }

  /** The series so far. */
  series(seconds: number): Record<string, SeriesData> {
    return this.registry.series(seconds);
  }
}

/** Read a whole k6 NDJSON file. */
export async function readPointsFile(file: string, series: readonly SeriesSpec[]): Promise<PointReader> {
  const reader = new PointReader(series);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) reader.line(line);
  return reader;
}
