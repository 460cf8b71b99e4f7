import type { Case } from '../../generators/index.ts';
import { ENV } from '../../load/lib/index.ts';
import { CREDENTIAL_HEADER_NAMES, type Credentials } from '../auth/index.ts';
import type { TenantFile } from '../schema/index.ts';
import { ACCEPTED_CODE, HEADER } from '../schema/index.ts';

/** What a secret becomes in a report, a corpus copy or a log. */
export const REDACTED = '<redacted>';

/** Placeholders for the credential a script really sent, as a reproduction line shows it. */
export const CREDENTIAL_PLACEHOLDER = {
  key: `$${ENV.key}`,
  jwt: `Bearer <a JWT signed with $${ENV.jwtSecret}>`,
} as const;

/** Environment variables that hold secrets, whatever the command. */
const SECRET_ENV = [ENV.key, ENV.jwtSecret, 'EVKIT_ADMIN_TOKEN', 'PACT_BROKER_TOKEN', 'PACT_BROKER_PASSWORD'];

/** Shorter values are not treated as secrets: replacing them would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;

/** Every secret a run knows of: the tenant file's service keys and JWT secrets, and the secret variables. */
export function runSecrets(
  tenantFile: TenantFile | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const found = new Set<string>();
  for (const tenant of tenantFile?.tenants ?? []) {
    for (const service of tenant.services) {
      for (const key of service.keys) found.add(key.value);
      if (service.jwtSecret) found.add(service.jwtSecret);
    }
  }
  for (const name of SECRET_ENV) {
    const value = env[name];
    if (value !== undefined) found.add(value.trim());
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...found].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** A value with every secret replaced, as it would be written (JSON-escaped forms included). */
export function redact<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  let text = JSON.stringify(value);
  if (text === undefined) return value;
  for (const secret of secrets) {
    const escaped = JSON.stringify(secret).slice(1, -1);
    text = text.split(escaped).join(REDACTED);
  }
  return JSON.parse(text) as T;
}

/**
 * The cases as the script sent them: a valid case carries the script's configured credential instead of its own
 * (load/lib/payload.ts), so its reproduction line shows a placeholder for that credential, never the corpus key.
 */
export function casesAsSent(cases: readonly Case[], credentials: Credentials): Case[] {
  if (credentials.type === 'none') return [...cases];
  return cases.map((c) => {
    if (c.kind !== 'valid' || c.expected.code !== ACCEPTED_CODE) return c;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(c.headers)) {
      const lower = name.toLowerCase();
      if (!CREDENTIAL_HEADER_NAMES.includes(lower)) headers[name] = value;
    }
    if (credentials.type === 'key') headers[HEADER.key] = CREDENTIAL_PLACEHOLDER.key;
    else headers[HEADER.authorization] = CREDENTIAL_PLACEHOLDER.jwt;
    return { ...c, headers };
  });
}
