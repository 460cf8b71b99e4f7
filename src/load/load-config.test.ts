/** The one typed load configuration: its __ENV, its defaults and the built-in scripts' options. */
import { describe, expect, it } from 'vitest';
import { type ConfigValues, configOf, readConfig, valuesEnv } from '../../load/lib/config.ts';
import { ENV, SCRIPTS } from '../../load/lib/names.ts';
import { readScriptOptions } from '../harness/index.ts';
import {
  builtinOptions,
  loadRunConfig,
  type ScriptSettings,
  scriptEnv,
  scriptSettingsOfEnv,
} from './load-config.ts';
import { resolveBundle } from './run.ts';

const target = 'http://127.0.0.1:8080';

/** Configurations that move every setting the plans read. */
const CASES: { name: string; settings: ScriptSettings }[] = [
  { name: 'the defaults', settings: {} },
  {
    name: 'a rate, a duration, TPS and burst, VUs',
    settings: { rate: 450, duration: '45s', expectedTps: 150, burst: true, preAllocatedVus: 7, maxVus: 90 },
  },
  { name: 'a peak factor and no rate', settings: { expectedTps: 40, peakFactor: 3.5, duration: '20s' } },
  {
    name: 'a back-off stage',
    settings: { rate: 30, duration: '4s', backoffRate: 5, backoffDuration: '2500ms' },
  },
];

describe('the typed load configuration', () => {
  it("hands the script exactly its values: the script's readConfig of scriptEnv is configOf of the values", () => {
    const values: ConfigValues = {
      target: `${target}/`,
      key: 'a-service-key',
      jwtSecret: 'c2VjcmV0',
      serviceId: 'svc-1',
      jwtRefreshSeconds: 120,
      rate: 12.5,
      duration: '1m30s',
      eventsPerRequest: 3,
      expectedTps: 70,
      burst: true,
      peakFactor: 2.5,
      tolerance: 0,
      p95Ms: 800,
      recoveryMs: 1500,
      corpus: '/c.json',
      preAllocatedVus: 3,
      maxVus: 9,
      timeout: '2s',
      summaryFile: '/s.json',
      evtid: '77',
      backoffRate: 4,
      backoffDuration: '3s',
    };
    // Every ENV name has a typed value: none is left to strings only.
    expect(Object.keys(valuesEnv(values)).sort()).toEqual(Object.values(ENV).sort());
    expect(readConfig(valuesEnv(values))).toEqual(configOf(values));
    expect(readConfig(valuesEnv({ target }))).toEqual(configOf({ target }));
    // Burst off is said, not left out.
    expect(valuesEnv({ target, burst: false })[ENV.burst]).toBe('false');
    expect(readConfig(valuesEnv({ target, burst: false })).burst).toBe(false);
  });

  it('reads EVKIT_* through the settings table, naming a bad variable, and passes on names it does not know', () => {
    const { settings, other } = scriptSettingsOfEnv({
      EVKIT_TOLERANCE: '0.05',
      EVKIT_JWT_REFRESH_S: '60',
      EVKIT_CORPUS: '/ignored.json',
      EVKIT_OWN_THING: 'x',
      PATH: '/bin',
    });
    expect(settings).toEqual({ tolerance: 0.05, jwtRefreshS: 60 });
    expect(other).toEqual({ EVKIT_OWN_THING: 'x' });
    expect(() => scriptSettingsOfEnv({ EVKIT_TOLERANCE: '2' })).toThrow(
      'EVKIT_TOLERANCE must be a number from 0 up to (not including) 1, got "2"',
    );
    const run = loadRunConfig(settings, { target, corpus: undefined }, other);
    expect(run.config.credentials).toEqual({ type: 'none' });
    expect(scriptEnv(run)).toEqual({
      EVKIT_OWN_THING: 'x',
      [ENV.target]: target,
      [ENV.tolerance]: '0.05',
      [ENV.jwtRefreshSeconds]: '60',
    });
    expect(() => loadRunConfig({ serviceId: 'svc' }, { target, corpus: undefined })).toThrow(ENV.jwtSecret);
  });

  // The built-in scripts' options are computed, not read from the bundle: they must be what the bundle exports.
  for (const script of SCRIPTS) {
    it(`${script}: the computed options.scenarios are the bundle's`, { timeout: 60_000 }, async () => {
      const { bundle } = await resolveBundle(script);
      for (const c of CASES) {
        if (script === 'rate-limit' && c.settings.backoffRate !== undefined) continue;
        const run = loadRunConfig({ key: 'k-123456', ...c.settings }, { target, corpus: undefined });
        const exported = await readScriptOptions(bundle, scriptEnv(run));
        expect(builtinOptions(script, run), c.name).toEqual({ scenarios: exported.scenarios });
      }
    });
  }
});
