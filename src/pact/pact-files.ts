import { readFileSync } from 'node:fs';

/** The parts of a V4 pact's HTTP interaction a reproduction needs. */
interface PactInteraction {
  readonly description?: string;
  readonly providerStates?: readonly { readonly name: string; readonly params?: Record<string, unknown> }[];
  readonly request?: {
    readonly method?: string;
    readonly path?: string;
    readonly headers?: Record<string, string | readonly string[]>;
    /** Specification 4: {content, contentType, encoded}; 2 and 3: the body itself (normalised by v4Body). */
    readonly body?: {
      readonly content?: unknown;
      readonly contentType?: string;
      readonly encoded?: boolean | string;
    };
  };
}

/** One interaction of a pact file, with its consumer. */
export interface LoadedInteraction extends PactInteraction {
  readonly consumer: string;
}

/** The provider names the pact files are for (unreadable files are skipped). */
export function pactProviders(files: readonly string[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    try {
      const name = (JSON.parse(readFileSync(file, 'utf8')) as { provider?: { name?: unknown } }).provider
        ?.name;
      if (typeof name === 'string') names.add(name);
    } catch {
      // The verifier reports unreadable files itself.
    }
  }
  return [...names];
}

/** Read the interactions of pact files (unreadable files are skipped: the verifier reports them itself). */
export function loadInteractions(files: readonly string[]): LoadedInteraction[] {
  return files.flatMap((file) => {
    try {
      const pact = JSON.parse(readFileSync(file, 'utf8')) as {
        consumer?: { name?: string };
        interactions?: PactInteraction[];
      };
      return (pact.interactions ?? []).map((i) => ({ ...i, consumer: pact.consumer?.name ?? '' }));
    } catch {
      return [];
    }
  });
}

type V4Body = NonNullable<NonNullable<PactInteraction['request']>['body']>;

/** Pact specification 4 wraps a body as {content, contentType, encoded}; 2 and 3 hold the body itself. */
function v4Body(body: unknown): V4Body | undefined {
  if (body === undefined || body === null) return undefined;
  const wrapped =
    typeof body === 'object' && 'content' in body && ('contentType' in body || 'encoded' in body);
  return wrapped ? (body as V4Body) : { content: body };
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** A curl line that replays an interaction's request against a base URL (states first, as comments). */
export function interactionCurl(interaction: LoadedInteraction, baseUrl: string): string {
  const req = interaction.request ?? {};
  const headers = Object.entries(req.headers ?? {}).flatMap(([name, v]) =>
    (Array.isArray(v) ? v : [v]).map((value) => `-H ${quote(`${name}: ${value}`)}`),
  );
  const body = v4Body(req.body);
  let data = '';
  if (body?.content !== undefined) {
    const text =
      body.encoded === 'base64' && typeof body.content === 'string'
        ? Buffer.from(body.content, 'base64').toString('utf8')
        : typeof body.content === 'string'
          ? body.content
          : JSON.stringify(body.content);
    data = ` --data-binary ${quote(text)}`;
  }
  const states = (interaction.providerStates ?? []).map(
    (s) =>
      `curl -sS -X POST ${quote(`${baseUrl}/__evkit/state`)} -H 'content-type: application/json' --data-binary ${quote(JSON.stringify({ state: s.name, params: s.params ?? {} }))}`,
  );
  const call = `curl -sS -X ${req.method ?? 'POST'} ${quote(`${baseUrl}${req.path ?? '/'}`)} ${headers.join(' ')}${data}`;
  return [...states, call].join(' && ');
}
