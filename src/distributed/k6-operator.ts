import { stringify } from 'yaml';
import { EvkitError } from '../errors.ts';

/** A ConfigMap holds at most 1 MiB; keep the bundle and its data files under it, with room for metadata. */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024;
const METADATA_MARGIN_BYTES = 8 * 1024;

/** What goes into a k6-operator run. */
export interface OperatorInput {
  readonly name: string;
  readonly parallelism: number;
  /** The bundle's file name (e.g. rate-limit.js) and content. */
  readonly script: { readonly file: string; readonly content: string };
  /** Data files the bundle opens, by file name. */
  readonly dataFiles: Readonly<Record<string, string>>;
  /** Plain environment variables for the runners (no secrets). */
  readonly env: Readonly<Record<string, string>>;
  /** Environment variables taken from a Kubernetes Secret: name -> { secret, key }. */
  readonly secretEnv: Readonly<Record<string, { readonly secret: string; readonly key: string }>>;
  readonly arguments?: string;
}

/** The manifests: a ConfigMap with the bundle and data, and a TestRun that runs it on N pods. */
export interface OperatorManifests {
  readonly configMap: Record<string, unknown>;
  readonly testRun: Record<string, unknown>;
  readonly bytes: number;
  /** Both manifests as one multi-document YAML. */
  readonly yaml: string;
}

const dnsName = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);

/** Build the k6-operator TestRun and its ConfigMap; throws E_CONFIG when the files exceed a ConfigMap. */
export function k6OperatorManifests(input: OperatorInput): OperatorManifests {
  const name = dnsName(input.name);
  if (!Number.isInteger(input.parallelism) || input.parallelism < 1) {
    throw new EvkitError('E_USAGE', `parallelism must be a positive integer, got ${input.parallelism}`, {
      details: { flag: '--parallelism', example: '4', value: input.parallelism },
    });
  }
  const data: Record<string, string> = { [input.script.file]: input.script.content, ...input.dataFiles };
  const bytes = Object.entries(data).reduce(
    (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v),
    0,
  );
  if (bytes > CONFIGMAP_LIMIT_BYTES - METADATA_MARGIN_BYTES) {
    throw new EvkitError(
      'E_CONFIGMAP_SIZE',
      `the bundle and its data files take ${bytes} bytes, more than a ConfigMap holds (1 MiB)`,
      {
        details: { bytes, files: Object.keys(data) },
      },
    );
  }
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
  const env = [
    ...Object.entries(input.env).map(([k, value]) => ({ name: k, value })),
    ...Object.entries(input.secretEnv).map(([k, s]) => ({
      name: k,
      valueFrom: { secretKeyRef: { name: s.secret, key: s.key } },
    })),
  ];
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name },
    spec: {
      parallelism: input.parallelism,
      script: { configMap: { name, file: input.script.file } },
      ...(input.arguments ? { arguments: input.arguments } : {}),
      runner: { env },
    },
  };
  // Literal blocks keep the bundle readable in the manifest (folded blocks double every line break).
  const yaml = (doc: unknown) => stringify(doc, { blockQuote: 'literal', lineWidth: 0 });
  return { configMap, testRun, bytes, yaml: `${yaml(configMap)}---\n${yaml(testRun)}` };
}
