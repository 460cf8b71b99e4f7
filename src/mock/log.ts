/** A structured log sink: one object per line. */
export type LogSink = (line: Record<string, unknown>) => void;

/** What replaces a secret in a log line. */
export const REDACTED = '[redacted]';

// Header and field names whose values are credentials or secrets, wherever they appear in a log line
// (`authorization` also covers proxy-authorization, `api-key` x-api-key).
const SECRET_NAME =
  /^(key|x-hub-signature|cookie|set-cookie|password|value)$|authorization|api-?key|secret|token|passw/i;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A URL with its credentials hidden: `user:password@` and every query value become `[redacted]` (a notify URL
 * may carry a token in either place).
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  if (url.username === '' && url.password === '' && url.search === '') return text;
  const userinfo = url.username !== '' || url.password !== '' ? `${REDACTED}@` : '';
  const query = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=${REDACTED}`).join('&');
  return `${url.protocol}//${userinfo}${url.host}${url.pathname}${query === '' ? '' : `?${query}`}${url.hash}`;
}

/** A deep copy of a value with every secret-named field replaced by `[redacted]` and URLs' secrets hidden. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return URL_LIKE.test(value) ? redactUrl(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_NAME.test(k) && v !== undefined ? REDACTED : redact(v, depth + 1);
  }
  return out;
}

/** A logger over a sink: adds time and level, redacts secrets; a no-op without a sink. */
export interface Logger {
  readonly enabled: boolean;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Create a logger; every line is redacted before it reaches the sink. */
export function createLogger(sink: LogSink | undefined): Logger {
  const emit = (level: string, msg: string, fields: Record<string, unknown> = {}): void => {
    if (!sink) return;
    sink({ time: new Date().toISOString(), level, msg, ...(redact(fields) as Record<string, unknown>) });
  };
  return {
    enabled: sink !== undefined,
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

/** A sink that writes JSON lines to a stream (the CLI uses stderr). */
export function jsonLineSink(stream: { write(chunk: string): unknown }): LogSink {
  return (line) => {
    stream.write(`${JSON.stringify(line)}\n`);
  };
}
