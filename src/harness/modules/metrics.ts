import type { MetricType } from '../../k6/index.ts';
import type { Runtime } from '../runtime.ts';

/** The `k6/metrics` module: Counter, Gauge, Rate, Trend recording into the run's registry. */
export function createMetricsModule(rt: Runtime): Record<string, unknown> {
  const make = (type: MetricType) =>
    class {
      readonly name: string;
      private readonly metric;
      constructor(name: string, isTime = false) {
        rt.requireInit(`new ${type}()`);
        this.name = name;
        this.metric = rt.registry.define(name, type, isTime ? 'time' : 'default');
      }
      add(value: number | boolean, tags?: Record<string, string>): void {
        const v = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
        rt.registry.add(this.metric, v, rt.tags(tags), Date.now());
      }
    };
  return { Counter: make('counter'), Gauge: make('gauge'), Rate: make('rate'), Trend: make('trend') };
}
