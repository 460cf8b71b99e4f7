import { describe, expect, it } from 'vitest';
import { contractVerdicts } from './contract.ts';
import type { FindLimitResult } from './types.ts';

function result(over: Partial<FindLimitResult>): FindLimitResult {
  return {
    provisioned: { value: 200, uncertainty: 1 },
    burstBand: { value: 100, uncertainty: 1 },
    onset: { value: 300, uncertainty: 2 },
    countsBy: 'requests',
    window: 'fixed-aligned',
    recoveryMs: 0,
    anomalies: [],
    confident: true,
    consistent: true,
    probes: [],
    testTimeMs: 20_000,
    requests: 1000,
    stoppedBecause: 'confident',
    ...over,
  };
}

const oks = (r: FindLimitResult, tps: number, burst: boolean, maxRate = 5000) =>
  contractVerdicts(r, { tps, burst, tolerance: 0.03 }, maxRate).map((v) => v.ok);

describe('a finding against a contracted TPS', () => {
  it('honoured: TPS 200 with burst mode gives 200 + 100', () => {
    expect(oks(result({}), 200, true)).toEqual([true, true]);
  });
  it('less than contracted fails the first check', () => {
    expect(
      oks(
        result({ provisioned: { value: 150, uncertainty: 1 }, burstBand: { value: 75, uncertainty: 1 } }),
        200,
        true,
      ),
    ).toEqual([false, true]);
  });
  it('more than contracted plus band fails the second: a burst band the contract does not include', () => {
    expect(oks(result({}), 200, false)).toEqual([true, false]);
  });
  it('no 7020 up to the maximum rate: at least that much, and more than contracted when it exceeds TPS + band', () => {
    const none = result({
      provisioned: undefined,
      burstBand: undefined,
      stoppedBecause: 'no 7020 up to the maximum rate 1000/s',
    });
    expect(oks(none, 200, true, 1000)).toEqual([true, false]);
    expect(oks(none, 200, true, 300)).toEqual([true, true]);
  });
  it('a finding the search does not trust honours no contract', () => {
    const untrusted = result({
      consistent: false,
      confident: false,
      stoppedBecause: 'no consistent limit: 7020 came below the measured limit',
    });
    const verdicts = contractVerdicts(untrusted, { tps: 200, burst: true, tolerance: 0.03 }, 5000);
    expect(verdicts.map((v) => v.ok)).toEqual([false, false]);
    expect(verdicts[0]?.detail).toContain('no consistent limit');
  });
});
