import type { Verdict } from '../report/index.ts';
import { burstBand } from '../schema/index.ts';
import type { FindLimitResult } from './types.ts';

/** What a team has contracted: the provisioned TPS and whether burst mode comes with it. */
export interface LimitContract {
  readonly tps: number;
  readonly burst: boolean;
  /** Relative band around the contracted figures that still counts as honoured (the search's tolerance). */
  readonly tolerance: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The search's finding against a contract: the tenant must give at least the contracted TPS, and accept no
 * more than TPS + the contracted burst band (min(0.5 × TPS, 100) with burst mode, else 0). A finding the
 * search does not trust cannot honour a contract.
 */
export function contractVerdicts(
  result: FindLimitResult,
  contract: LimitContract,
  maxRate: number,
): Verdict[] {
  const band = contract.burst ? burstBand(contract.tps) : 0;
  const floor = contract.tps * (1 - contract.tolerance);
  const ceiling = (contract.tps + band) * (1 + contract.tolerance) + 1;
  const wanted = `contracted ${contract.tps}/s${contract.burst ? ` + burst band ${band}/s` : ', no burst mode'}`;
  const p = result.provisioned;
  if (!result.consistent) {
    const why = `cannot compare with the contract (${wanted}): ${result.stoppedBecause}`;
    return [
      { name: 'the tenant gives at least the contracted TPS', ok: false, detail: why },
      { name: 'the tenant accepts no more than contracted TPS + burst band', ok: false, detail: why },
    ];
  }
  if (p === undefined) {
    // No 7020 up to the maximum rate: the tenant gave at least that much.
    const noLimit = /no 7020 up to/.test(result.stoppedBecause);
    return [
      {
        name: 'the tenant gives at least the contracted TPS',
        ok: noLimit && maxRate >= floor,
        detail: noLimit
          ? `no 7020 up to ${maxRate}/s; ${wanted}`
          : `no limit found (${result.stoppedBecause})`,
      },
      {
        name: 'the tenant accepts no more than contracted TPS + burst band',
        ok: !noLimit || maxRate <= ceiling,
        detail: noLimit
          ? `everything up to ${maxRate}/s was accepted; ${wanted} allows ${round(ceiling)}/s`
          : `no limit found (${result.stoppedBecause})`,
      },
    ];
  }
  const accepted = p.value + (result.burstBand?.value ?? 0);
  return [
    {
      name: 'the tenant gives at least the contracted TPS',
      ok: p.value >= floor,
      detail: `provisioned ${p.value}/s ± ${p.uncertainty}; ${wanted} (at least ${round(floor)}/s)`,
    },
    {
      name: 'the tenant accepts no more than contracted TPS + burst band',
      ok: accepted <= ceiling,
      detail: `accepted ${accepted}/s in overload (provisioned + burst band); ${wanted} (at most ${round(ceiling)}/s)`,
    },
  ];
}
