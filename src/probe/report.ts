import type { RunReportInput } from '../report/index.ts';
import { HEADER, isResponseCode, type ResponseCode } from '../schema/index.ts';
import { renderTable } from '../text-table.ts';
import { answerCode, answerShape } from './answer.ts';
import type { BehaviourVerdict } from './judge.ts';
import type { Probe } from './probes.ts';
import { type PlannedRequest, type ProbeExchange, REDACTED } from './run.ts';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** A curl line that replays a probe request (credentials come from the environment, never the report). */
export function curlLine(request: PlannedRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) =>
    value.includes(REDACTED)
      ? `-H "${name}: ${value.replace(REDACTED, name === HEADER.key ? '$EVKIT_KEY' : '$EVKIT_JWT')}"`
      : `-H ${quote(`${name}: ${value}`)}`,
  );
  return `curl -sS -X POST ${quote(request.url)} ${headers.join(' ')} --data-binary ${quote(request.body)}`;
}

/** The plan as text: one line per request (what a user reads before anything is sent). */
export function planText(requests: readonly PlannedRequest[], probes: readonly Probe[]): string {
  const purpose = new Map(probes.map((p) => [p.id, p.purpose]));
  return requests
    .map((r, i) => {
      const headers = Object.entries(r.headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');
      const body = r.body.length > 160 ? `${r.body.slice(0, 157)}...` : r.body;
      return `${String(i + 1).padStart(2)}. ${r.probeId}: ${purpose.get(r.probeId) ?? ''}\n    POST ${r.url}  [${headers}]\n    ${body}`;
    })
    .join('\n');
}

/** The verdicts as a table for people. */
export function verdictsText(verdicts: readonly BehaviourVerdict[]): string {
  return renderTable(
    ['behaviour', 'verdict', 'tenant file', 'observed', 'detail'],
    verdicts.map((v) => [v.behaviour, v.verdict, v.current, v.observed ?? '-', v.detail]),
    { rule: false, indent: '  ' },
  );
}

/** What a probe run found, for CI to read (summary.json `findings`). */
export interface ProbeFindings {
  readonly requestsUsed: number;
  readonly requestsPlanned: number;
  readonly planWallTimeMsAtRate: number;
  readonly rate: number;
  readonly verdicts: readonly BehaviourVerdict[];
  readonly exchanges: readonly {
    probeId: string;
    behaviour: string;
    sentAt: string;
    request: PlannedRequest;
    status: number;
    body: string;
    alternative: string | null;
    problems: readonly string[];
  }[];
}

/** The run report of a probe run (the same model and writers as the other runs). */
export function probeReport(input: {
  readonly runId: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly target: string;
  readonly config: Record<string, unknown>;
  readonly exchanges: readonly ProbeExchange[];
  readonly verdicts: readonly BehaviourVerdict[];
  readonly requestsPlanned: number;
  readonly planWallTimeMs: number;
  readonly rate: number;
}): RunReportInput {
  const byCode: Partial<Record<ResponseCode | 'other', number>> = {};
  for (const e of input.exchanges) {
    for (const entry of e.answer.entries.length > 0 ? e.answer.entries : [{ code: undefined }]) {
      const key = entry.code !== undefined && isResponseCode(entry.code) ? entry.code : 'other';
      byCode[key] = (byCode[key] ?? 0) + 1;
    }
  }
  const findings: ProbeFindings = {
    requestsUsed: input.exchanges.length,
    requestsPlanned: input.requestsPlanned,
    planWallTimeMsAtRate: input.planWallTimeMs,
    rate: input.rate,
    verdicts: input.verdicts,
    exchanges: input.exchanges.map((e) => ({
      probeId: e.probeId,
      behaviour: e.behaviour,
      sentAt: e.sentAt,
      request: e.request,
      status: e.answer.status,
      body: e.answer.text,
      alternative: e.alternative ?? null,
      problems: e.problems,
    })),
  };
  const exchangeRows = input.exchanges.map((e) => [
    e.probeId,
    answerCode(e.answer) ?? '-',
    answerShape(e.answer),
    e.alternative ?? '(none)',
    e.problems.length === 0 ? 'ok' : e.problems.join('; '),
  ]);
  const differing = new Set(input.verdicts.filter((v) => v.verdict === 'differs').map((v) => v.behaviour));
  return {
    version: 1,
    runId: input.runId,
    kind: 'probe',
    title: `probe of ${input.target}`,
    startedAt: input.startedAt,
    durationMs: input.durationMs,
    target: input.target,
    seed: 0,
    config: input.config,
    totals: { requests: input.exchanges.length, byCode, burst: 0, dropped: 0 },
    checks: input.verdicts.map((v) => ({
      name: `${v.behaviour}${v.setting ? ` (${v.setting})` : ''}`,
      ok: v.verdict !== 'differs',
      detail: `${v.verdict}: ${v.detail}`,
    })),
    sections: [
      { title: 'Verdicts', text: verdictsText(input.verdicts), charts: [] },
      {
        title: 'Exchanges',
        text: renderTable(['probe', 'code', 'answer', 'matches', 'schema and catalog'], exchangeRows, {
          rule: false,
        }),
        charts: [],
      },
    ],
    findings: findings as unknown as Record<string, unknown>,
    failures: input.exchanges
      .filter((e) => e.problems.length > 0 || differing.has(e.behaviour))
      .map((e) => ({
        description: `${e.probeId}: ${e.problems.length > 0 ? e.problems.join('; ') : `answered ${answerShape(e.answer)}`}`,
        curl: curlLine(e.request),
      })),
    ok: differing.size === 0,
  };
}
