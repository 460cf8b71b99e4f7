import { isBuiltin } from 'node:module';
import * as esbuild from 'esbuild';

/** What k6 cannot run in a bundle. */
export type BundleIssueKind = 'import' | 'require' | 'syntax' | 'node-global' | 'size';

/** One reason a bundle would not run under k6. */
export interface BundleIssue {
  kind: BundleIssueKind;
  message: string;
}

/** The k6-operator ConfigMap limit; every VU also holds its own copy of the bundle. */
export const MAX_BUNDLE_BYTES = 1024 * 1024;

/** The newest syntax the check lets through: ES2022 without top-level await. */
export const K6_SYNTAX_TARGET = 'es2022';

/** Imports a k6 bundle may keep: k6's own modules and remote modules (jslib). */
export function isAllowedImport(specifier: string): boolean {
  return specifier === 'k6' || specifier.startsWith('k6/') || specifier.startsWith('https://');
}

// `require(` not preceded by an identifier character or a dot (so `x.require(` and `myrequire(` pass), and
// esbuild's `__require` shim for CommonJS code.
const REQUIRE = /(?<![\w$.])require\s*\(|\b__require\b/;
const NODE_GLOBAL =
  /\bprocess\.(?:env|argv|exit|cwd|nextTick)\b|\bBuffer\.(?:from|alloc)\b|\b__dirname\b|\b__filename\b/;

async function importIssues(code: string): Promise<BundleIssue[]> {
  const issues: BundleIssue[] = [];
  try {
    await esbuild.build({
      stdin: { contents: code, loader: 'js', sourcefile: 'bundle.js' },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: K6_SYNTAX_TARGET,
      // k6 runs init code synchronously in every VU: top-level await is out.
      supported: { 'top-level-await': false },
      logLevel: 'silent',
      plugins: [
        {
          name: 'record-imports',
          setup(build) {
            build.onResolve({ filter: /.*/ }, (args) => {
              const spec = args.path;
              if (args.kind === 'require-call' || args.kind === 'require-resolve') {
                issues.push({ kind: 'require', message: `require("${spec}"): k6 has no CommonJS require` });
              } else if (isBuiltin(spec)) {
                issues.push({ kind: 'import', message: `imports the Node built-in "${spec}"` });
              } else if (!isAllowedImport(spec)) {
                issues.push({
                  kind: 'import',
                  message: `imports "${spec}": only k6, k6/* and https:// modules stay external`,
                });
              }
              return { path: spec, external: true };
            });
          },
        },
      ],
    });
  } catch (error) {
    const errors = (error as { errors?: { text: string }[] }).errors ?? [{ text: String(error) }];
    for (const e of errors) issues.push({ kind: 'syntax', message: e.text });
  }
  return issues;
}

async function loweredSyntax(code: string): Promise<BundleIssue[]> {
  // A bundle k6 can run is a fixed point of an ES2022 transform: anything esbuild must lower (decorators,
  // `using`, RegExp `v` flag, ...) is newer than what the check admits.
  try {
    const base = { loader: 'js', format: 'esm', legalComments: 'inline', sourcemap: false } as const;
    const [latest, es2022] = await Promise.all([
      esbuild.transform(code, { ...base, target: 'esnext' }),
      esbuild.transform(code, { ...base, target: K6_SYNTAX_TARGET, supported: { 'top-level-await': true } }),
    ]);
    return latest.code === es2022.code
      ? []
      : [{ kind: 'syntax', message: `uses syntax newer than ${K6_SYNTAX_TARGET} (esbuild had to lower it)` }];
  } catch {
    return []; // parse errors are reported by the import pass
  }
}

/** Check a bundle's text for what k6 cannot run: Node imports, require, newer syntax, Node globals, size. */
export async function checkBundle(code: string): Promise<BundleIssue[]> {
  const issues = [...(await importIssues(code))];
  if (!issues.some((i) => i.kind === 'syntax')) issues.push(...(await loweredSyntax(code)));
  if (REQUIRE.test(code) && !issues.some((i) => i.kind === 'require')) {
    issues.push({ kind: 'require', message: 'calls require(): k6 has no CommonJS require' });
  }
  const global = NODE_GLOBAL.exec(code);
  if (global) issues.push({ kind: 'node-global', message: `uses the Node global "${global[0]}"` });
  const bytes = Buffer.byteLength(code);
  if (bytes > MAX_BUNDLE_BYTES) {
    issues.push({ kind: 'size', message: `${bytes} bytes, over the ${MAX_BUNDLE_BYTES}-byte limit` });
  }
  return issues;
}
