/** k6 threshold syntax: `metric{tag:value,...}` keys and `<aggregation> <op> <number>` expressions. */

/** An aggregation a threshold reads from a metric's sink. */
export type Aggregation =
  | { kind: 'count' | 'rate' | 'avg' | 'min' | 'max' | 'med' | 'value' }
  | { kind: 'p'; p: number };

/** A comparison operator of the threshold syntax. */
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

/** A parsed threshold expression such as `p(95)<200`. */
export interface ThresholdExpression {
  source: string;
  aggregation: Aggregation;
  op: Operator;
  value: number;
}

/** A metric name with an optional tag selector, e.g. `evkit_accepted{phase:over}`. */
export interface MetricSelector {
  key: string;
  metric: string;
  tags: Record<string, string>;
}

const KEY = /^([^{}\s]+)(?:\{(.*)\})?$/;
const EXPR =
  /^\s*(count|rate|avg|min|max|med|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/;

/** Parse a threshold key; throws on a malformed selector. */
export function parseMetricKey(key: string): MetricSelector {
  const m = KEY.exec(key.trim());
  if (!m || m[1] === undefined) throw new SyntaxError(`invalid threshold metric "${key}"`);
  const tags: Record<string, string> = {};
  if (m[2] !== undefined) {
    for (const part of m[2].split(',')) {
      const i = part.indexOf(':');
      if (i <= 0) throw new SyntaxError(`invalid tag selector "${part}" in "${key}" (use {tag:value})`);
      tags[part.slice(0, i).trim()] = part
        .slice(i + 1)
        .trim()
        .replace(/^(['"])(.*)\1$/, '$2');
    }
  }
  return { key: key.trim(), metric: m[1], tags };
}

/** Parse a threshold expression; throws on syntax the harness does not know. */
export function parseExpression(source: string): ThresholdExpression {
  const m = EXPR.exec(source);
  if (!m || m[1] === undefined || m[3] === undefined || m[4] === undefined) {
    throw new SyntaxError(`invalid threshold "${source}" (use e.g. rate<0.01, p(95)<200, count>0)`);
  }
  const aggregation: Aggregation =
    m[2] !== undefined ? { kind: 'p', p: Number(m[2]) } : { kind: m[1] as Exclude<Aggregation['kind'], 'p'> };
  return { source, aggregation, op: m[3] as Operator, value: Number(m[4]) };
}

const COMPARE = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '===': (a, b) => a === b,
  '!=': (a, b) => a !== b,
} as const satisfies Record<Operator, (a: number, b: number) => boolean>;

/** Whether an observed value satisfies an expression. */
export function holds(expr: ThresholdExpression, observed: number): boolean {
  return COMPARE[expr.op](observed, expr.value);
}

/** The summary-values key of an aggregation (`p(95)`, `med`, ...). */
export function aggregationKey(a: Aggregation): string {
  return a.kind === 'p' ? `p(${a.p})` : a.kind;
}
