/**
 * npm run bench:generate — cases per second of `generateCases` against raw json-schema-faker `generateSync`
 * on the same JSON Schema (the request schema as zod converts it), measured in the same run, interleaved.
 * Goals (issue 4): valid >= 1.0x raw json-schema-faker, mixed >= 2x. Writes reports/bench-generate.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { generateSync, type JsonSchema } from 'json-schema-faker';
import { type CaseKind, generateCases } from '../generators/index.ts';
import { requestJsonSchema } from '../generators/schema.ts';
import { renderTable } from '../src/cli/output.ts';
import { median } from '../src/stats/statistics.ts';

const COUNT = Number(process.env.BENCH_GENERATE_COUNT ?? 1500);
const ROUNDS = Number(process.env.BENCH_GENERATE_ROUNDS ?? 10);
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const schema = requestJsonSchema() as JsonSchema;

type Subject = 'raw json-schema-faker' | CaseKind;
const GOALS: Partial<Record<Subject, number>> = { valid: 1.0, mixed: 2.0 };

const SUBJECTS: Record<Subject, (round: number) => void> = {
  'raw json-schema-faker': (round) => {
    for (let i = 0; i < COUNT; i++) generateSync(schema, { seed: round * COUNT + i + 1 });
  },
  valid: (round) => void generateCases({ kind: 'valid', count: COUNT, seed: round + 1, now: NOW }),
  mixed: (round) => void generateCases({ kind: 'mixed', count: COUNT, seed: round + 1, now: NOW }),
  invalid: (round) => void generateCases({ kind: 'invalid', count: COUNT, seed: round + 1, now: NOW }),
};
const NAMES = Object.keys(SUBJECTS) as Subject[];

function rate(subject: Subject, round: number): number {
  const start = process.hrtime.bigint();
  SUBJECTS[subject](round);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return COUNT / seconds;
}

process.stderr.write(
  `bench:generate: ${ROUNDS} rounds of ${COUNT} cases per subject, interleaved (1 warm-up)\n`,
);
for (const name of NAMES) rate(name, 1000); // warm-up: JIT and caches
const rates: Record<Subject, number[]> = { 'raw json-schema-faker': [], valid: [], mixed: [], invalid: [] };
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order each round, so a busy moment of the machine does not always hit the same subject.
  for (let k = 0; k < NAMES.length; k++) {
    const name = NAMES[(round + k) % NAMES.length] as Subject;
    rates[name].push(rate(name, round));
  }
  process.stderr.write(`  round ${round + 1}/${ROUNDS} done\n`);
}

const baseline = median(rates['raw json-schema-faker']) ?? 0;
const results = NAMES.map((name) => {
  const perSecond = median(rates[name]) ?? 0;
  const ratio = perSecond / baseline;
  const goal = GOALS[name];
  return {
    subject: name,
    casesPerSecond: Math.round(perSecond),
    ratio: Number(ratio.toFixed(2)),
    goal: goal ?? null,
    met: goal === undefined ? null : ratio >= goal,
    rounds: rates[name].map((r) => Math.round(r)),
  };
});

process.stdout.write(
  `${renderTable(
    ['subject', 'cases/s (median)', 'x raw jsf', 'goal', 'met'],
    results.map((r) => [
      r.subject,
      String(r.casesPerSecond),
      `${r.ratio.toFixed(2)}x`,
      r.goal === null ? '-' : `>= ${r.goal.toFixed(1)}x`,
      r.met === null ? '-' : r.met ? 'yes' : 'NO',
    ]),
  )}\n`,
);

mkdirSync('reports', { recursive: true });
writeFileSync(
  'reports/bench-generate.json',
  `${JSON.stringify(
    {
      benchmark: 'generate',
      date: new Date().toISOString(),
      node: process.version,
      count: COUNT,
      rounds: ROUNDS,
      baseline: 'json-schema-faker generateSync on the request JSON Schema (zod toJSONSchema, io: input)',
      results,
    },
    null,
    2,
  )}\n`,
);
process.stderr.write('bench:generate: wrote reports/bench-generate.json\n');
// A missed goal is a failed check (exit 1), so CI sees it; the lead reruns benchmarks on a quiet machine.
if (results.some((r) => r.met === false)) process.exitCode = 1;
