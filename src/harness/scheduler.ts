import { type ArrivalScenario, arrivalTimes, owns, scaleCount } from '../k6/index.ts';
import type { IterationContext, Runtime, ScenarioState, VuState } from './runtime.ts';

/** An iteration function of the script (`default` or a scenario's `exec`). */
export type IterationFn = (data: unknown) => unknown;

/** What a scenario run reports back. */
export interface ScenarioRun {
  /** Planned iteration starts of this instance per second of the test (t=0: the test start). */
  planned: number[];
  dropped: number;
  interrupted: number;
}

let nextVuId = 0;

/**
 * Run one arrival-rate scenario: start each planned iteration on a free VU, growing the pool up to maxVUs,
 * dropping the iteration when none is free (dropped_iterations). Starts are timed against a monotonic clock:
 * a timer sleeps until the next start (1 ms granularity), then the loop starts every due iteration (late ones
 * too, as k6 does).
 */
export function runScenario(
  rt: Runtime,
  def: ArrivalScenario,
  fn: IterationFn,
  data: unknown,
  testStartEpochMs: number,
  shouldStop: () => boolean,
): Promise<ScenarioRun> {
  const seg = rt.segment;
  const preAllocated = scaleCount(seg, def.preAllocatedVUs);
  const maxVUs = scaleCount(seg, def.maxVUs);
  const state: ScenarioState = {
    def,
    startEpochMs: testStartEpochMs + def.startTimeMs,
    iterationInInstance: 0,
    env: { ...rt.env, ...def.env },
    // k6's order: the test's tags (--tag, options.tags), the scenario name, the scenario's own tags.
    tags: {
      ...rt.globalTags,
      ...((rt.options.tags as Record<string, string> | undefined) ?? {}),
      scenario: def.name,
      ...def.tags,
    },
  };
  const free: VuState[] = [];
  let initialized = 0;
  let vuNumberInTest = -1;
  const newVu = (): VuState => {
    // The k-th VU of this instance takes the k-th VU number of the test its segment owns.
    do vuNumberInTest += 1;
    while (!owns(seg, vuNumberInTest));
    initialized += 1;
    rt.vusInitialized += 1;
    nextVuId += 1;
    return { idInInstance: nextVuId, idInTest: vuNumberInTest + 1, iterationInScenario: 0, busy: false };
  };
  for (let i = 0; i < preAllocated; i++) free.push(newVu());

  const planned: number[] = [];
  const reg = rt.registry;
  const b = rt.builtin;
  let dropped = 0;
  let interrupted = 0;
  let active = 0;

  return new Promise<ScenarioRun>((resolve) => {
    let finished = false;
    let scheduling = true;
    let graceTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (graceTimer) clearTimeout(graceTimer);
      interrupted += active;
      rt.iterationsInterrupted += active;
      resolve({ planned, dropped, interrupted });
    };
    const endScheduling = () => {
      scheduling = false;
      if (active === 0) finish();
      else graceTimer = setTimeout(finish, def.gracefulStopMs);
    };

    const done = (vu: VuState, began: number, error?: unknown) => {
      vu.iterationInScenario += 1;
      vu.busy = false;
      free.push(vu);
      active -= 1;
      rt.vusActive -= 1;
      if (finished) return;
      const now = Date.now();
      if (error === undefined) {
        rt.iterationsCompleted += 1;
        reg.add(b.iterations, 1, state.tags, now);
        reg.add(b.iterationDuration, performance.now() - began, state.tags, now);
      } else {
        rt.recordError(error);
        rt.iterationsInterrupted += 1;
      }
      if (!scheduling && active === 0) finish();
    };

    const start = (index: number) => {
      let vu = free.pop();
      if (vu === undefined) {
        if (initialized >= maxVUs) {
          dropped += 1;
          reg.add(b.droppedIterations, 1, state.tags, Date.now());
          return;
        }
        vu = newVu();
      }
      vu.busy = true;
      active += 1;
      rt.vusActive += 1;
      const ctx: IterationContext = {
        vu,
        scenario: state,
        iterationInTest: index,
        iterationInInstance: state.iterationInInstance++,
      };
      const began = performance.now();
      const current = vu;
      let result: unknown;
      try {
        result = rt.als.run(ctx, fn, data);
      } catch (error) {
        done(current, began, error);
        return;
      }
      if (result instanceof Promise) {
        result.then(
          () => done(current, began),
          (error: unknown) => done(current, began, error ?? new Error('iteration rejected')),
        );
      } else done(current, began);
    };

    const times = arrivalTimes(def);
    const nextOwned = (): [number, number] | undefined => {
      for (;;) {
        const n = times.next();
        if (n.done) return undefined;
        if (owns(seg, n.value[0])) return n.value;
      }
    };
    let next = nextOwned();
    let base = 0;
    const tick = () => {
      // An aborted test interrupts its iterations instead of waiting for them.
      if (shouldStop()) return finish();
      const now = performance.now() - base;
      while (next !== undefined && next[1] <= now) {
        const second = Math.floor((def.startTimeMs + next[1]) / 1000);
        while (planned.length <= second) planned.push(0);
        planned[second] = (planned[second] ?? 0) + 1;
        start(next[0]);
        next = nextOwned();
      }
      if (next === undefined) {
        // Arrival-rate scenarios end at their duration, not at their last start.
        const left = def.durationMs - (performance.now() - base);
        if (left > 0) setTimeout(endScheduling, left);
        else endScheduling();
        return;
      }
      // Timers have 1 ms granularity: a start is at most ~1 ms late, and the loop never spins (a spinning
      // loop would take the CPU the target on the same machine needs).
      const wait = next[1] - (performance.now() - base);
      setTimeout(tick, Math.max(1, Math.floor(wait)));
    };
    const begin = () => {
      base = performance.now();
      state.startEpochMs = Date.now();
      tick();
    };
    const delay = state.startEpochMs - Date.now();
    if (delay > 0) setTimeout(begin, delay);
    else begin();
  });
}
