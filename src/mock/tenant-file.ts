import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { EvkitError } from '../errors.ts';
import { isValidAllowlistEntry } from '../evaluate/index.ts';
import { type TenantFile, tenantFileSchema } from '../schema/index.ts';

/** One thing wrong with a tenant file: where, what was expected, what was found. */
export interface TenantFileProblem {
  /** Dotted path with [index] for arrays, e.g. `tenants[0].rateLimit.tps`. */
  readonly path: string;
  readonly expected: string;
  readonly got: string;
}

// Values under these names are credentials: a problem report names their type, never their text.
const SECRET_FIELD = /^(value|jwtSecret|notifySecret)$/;

/** Render a zod path as `tenants[0].rateLimit.tps`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Describe a found value: its JSON type and a short preview. */
export function describeValue(value: unknown, secret = false): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item(s)`;
  if (typeof value === 'object') return 'an object';
  if (secret) return `a ${typeof value} (value hidden)`;
  const text = JSON.stringify(value);
  return `${text.length > 60 ? `${text.slice(0, 57)}...` : text} (${typeof value})`;
}

function bound(origin: string, op: string, n: number | bigint): string {
  if (origin === 'array' || origin === 'set') return `${op} ${n} item(s)`;
  if (origin === 'string') return `${op} ${n} character(s)`;
  return `a ${origin === 'int' ? 'integer' : origin} ${op} ${n}`;
}

/** What each zod issue code expected, in words. */
function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'an integer' : `a value of type ${issue.expected}`;
    case 'too_small':
      return bound(
        issue.origin,
        issue.inclusive === false
          ? '>'
          : issue.origin === 'number' || issue.origin === 'int'
            ? '>='
            : 'at least',
        issue.minimum,
      );
    case 'too_big':
      return bound(
        issue.origin,
        issue.inclusive === false
          ? '<'
          : issue.origin === 'number' || issue.origin === 'int'
            ? '<='
            : 'at most',
        issue.maximum,
      );
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return `a ${issue.format} string${issue.pattern ? ` matching ${issue.pattern}` : ''}`;
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    case 'invalid_union':
      return issue.message;
    default:
      return issue.message;
  }
}

/** Turn zod issues into problems (an unknown field becomes one problem per field). */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): TenantFileProblem[] {
  const out: TenantFileProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          path: formatPath([...issue.path, key]),
          expected: 'no field of this name (check its spelling)',
          got: 'an unknown field',
        });
      }
      continue;
    }
    const last = issue.path[issue.path.length - 1];
    const secret = typeof last === 'string' && SECRET_FIELD.test(last);
    out.push({
      path: formatPath(issue.path),
      expected: expectedOf(issue),
      got: describeValue(issue.input, secret),
    });
  }
  return out;
}

function unique(
  out: TenantFileProblem[],
  seen: Map<string, string>,
  value: string,
  path: string,
  what: string,
  secret = false,
): void {
  const first = seen.get(value);
  if (first !== undefined) {
    out.push({
      path,
      expected: `a ${what} used once (it identifies a tenant)`,
      got: `${secret ? 'a value' : JSON.stringify(value)} already used at ${first}`,
    });
  } else seen.set(value, path);
}

/** Checks zod cannot express: allowlist entries, unique ids and keys, latency bounds, notify URL schemes. */
export function semanticProblems(file: TenantFile): TenantFileProblem[] {
  const out: TenantFileProblem[] = [];
  const tenantIds = new Map<string, string>();
  const serviceIds = new Map<string, string>();
  const keys = new Map<string, string>();
  file.tenants.forEach((tenant, t) => {
    unique(out, tenantIds, tenant.id, `tenants[${t}].id`, 'tenant id');
    tenant.allowlist.forEach((entry, i) => {
      if (!isValidAllowlistEntry(entry)) {
        out.push({
          path: `tenants[${t}].allowlist[${i}]`,
          expected: 'an IPv4 or IPv6 address or CIDR range (10.0.0.0/8, ::1)',
          got: describeValue(entry),
        });
      }
    });
    tenant.services.forEach((service, s) => {
      unique(out, serviceIds, service.id, `tenants[${t}].services[${s}].id`, 'service id');
      service.keys.forEach((k, i) => {
        unique(out, keys, k.value, `tenants[${t}].services[${s}].keys[${i}].value`, 'service key', true);
      });
      if (service.notifyUrl !== undefined && !/^https?:/i.test(service.notifyUrl)) {
        out.push({
          path: `tenants[${t}].services[${s}].notifyUrl`,
          expected: 'an http or https URL',
          got: describeValue(service.notifyUrl),
        });
      }
    });
    const latency = tenant.faults.latency;
    if (latency.distribution === 'uniform' && latency.minMs > latency.maxMs) {
      out.push({
        path: `tenants[${t}].faults.latency.maxMs`,
        expected: `a number >= minMs (${latency.minMs})`,
        got: describeValue(latency.maxMs),
      });
    }
  });
  return out;
}

function problemsError(source: string, problems: readonly TenantFileProblem[]): EvkitError {
  const lines = problems.map((p) => `  ${p.path}: expected ${p.expected}, got ${p.got}`);
  return new EvkitError('E_TENANT_FILE', `tenant file ${source} is invalid:\n${lines.join('\n')}`, {
    details: { file: source, problem: 'invalid', problems },
  });
}

/** Validate parsed data as a tenant file; throws E_TENANT_FILE listing every problem. */
export function validateTenantFile(data: unknown, source: string): TenantFile {
  const result = tenantFileSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw problemsError(source, problemsFromIssues(result.error.issues));
  const problems = semanticProblems(result.data);
  if (problems.length > 0) throw problemsError(source, problems);
  return result.data;
}

/** Parse tenant file text: JSON for `.json` (or text starting with `{`), YAML otherwise. */
export function parseTenantFileText(text: string, source: string): TenantFile {
  const lower = source.toLowerCase();
  const asJson = lower.endsWith('.json') || (!/\.ya?ml$/.test(lower) && text.trimStart().startsWith('{'));
  let data: unknown;
  try {
    data = asJson ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new EvkitError(
      'E_TENANT_FILE',
      `cannot parse ${source} as ${asJson ? 'JSON' : 'YAML'}: ${(cause as Error).message}`,
      {
        details: { file: source, problem: 'syntax' },
        cause,
      },
    );
  }
  return validateTenantFile(data, source);
}

/** Read and validate a tenant file (JSON or YAML); every failure is E_TENANT_FILE (exit 2). */
export function loadTenantFile(path: string): TenantFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new EvkitError('E_TENANT_FILE', `cannot read tenant file ${path}: ${(cause as Error).message}`, {
      details: { file: path, problem: 'read' },
      cause,
    });
  }
  return parseTenantFileText(text, path);
}
