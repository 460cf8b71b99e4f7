/** Exit codes of `evkit` (STYLE.md): 0 passed, 1 a check failed, 2 usage or configuration, 3 internal. */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2, internal: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Stable error codes, each with the exit code it maps to. */
export const ERROR_CODES = {
  E_USAGE: EXIT.usage,
  E_CONFIG: EXIT.usage,
  E_TENANT_FILE: EXIT.usage,
  E_REMOTE_TARGET: EXIT.usage,
  E_NOT_FOUND: EXIT.usage,
  E_CHECK_FAILED: EXIT.checkFailed,
  E_CONTRACT: EXIT.checkFailed,
  E_THRESHOLD: EXIT.checkFailed,
  E_ANOMALY: EXIT.checkFailed,
  E_BROKER: EXIT.checkFailed,
  E_NETWORK: EXIT.checkFailed,
  E_TOOL_MISSING: EXIT.usage,
  E_BUNDLE: EXIT.internal,
  E_INTERNAL: EXIT.internal,
} as const satisfies Record<string, ExitCode>;
export type ErrorCode = keyof typeof ERROR_CODES;

/** The one error class of the toolkit: a stable code, structured details, the original cause. */
export class EvkitError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  /** How to fix it, when there is a fix a user can apply. */
  readonly hint: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EvkitError';
    this.code = code;
    this.details = options.details ?? {};
    this.hint = options.hint;
  }

  /** The exit code this error maps to. */
  get exitCode(): ExitCode {
    return ERROR_CODES[this.code];
  }
}

/** Whether a value is an EvkitError (also across module copies). */
export function isEvkitError(value: unknown): value is EvkitError {
  return (
    value instanceof EvkitError || (value instanceof Error && value.name === 'EvkitError' && 'code' in value)
  );
}
