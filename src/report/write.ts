import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { EvkitError } from '../errors.ts';
import { loadReportAssets } from './assets.ts';
import { type ReportAssets, renderReportHtml } from './html.ts';
import { type IndexEntry, renderReportsIndexHtml } from './index-html.ts';
import { renderJunit } from './junit.ts';
import { REPORT_VERSION, type RunReport, type RunReportInput, runReportSchema } from './model.ts';
import { redactConfig } from './redact.ts';

/** The files of one run folder, by role. */
export const RUN_FILES = { html: 'report.html', summary: 'summary.json', junit: 'junit.xml' } as const;

/** The page that links every run of a reports directory. */
export const INDEX_FILE = 'index.html';

/** A run id becomes a folder name, so it may not climb out of the reports directory or hide a path. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** What writeRunReport wrote: the run folder, its files by role, and the refreshed index. */
export interface WrittenReport {
  readonly dir: string;
  readonly files: { readonly [K in keyof typeof RUN_FILES]: string };
  readonly index: string;
  /** The validated report, with the model's defaults filled in (as in summary.json). */
  readonly report: RunReport;
}

/** Options of writeRunReport. */
export interface WriteOptions {
  /** The inlined chart library; read from node_modules when absent. */
  readonly assets?: ReportAssets;
  /** Refresh reports/index.html as well (default true). */
  readonly index?: boolean;
}

/** A sortable, unique run id: UTC timestamp to the millisecond, the kind, a short random suffix. */
export function newRunId(kind: RunReport['kind'], options: { now?: Date; suffix?: string } = {}): string {
  const stamp = (options.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace('.', '');
  // Not seeded on purpose: the suffix only keeps two runs started in the same millisecond apart.
  return `${stamp}-${kind}-${options.suffix ?? randomBytes(3).toString('hex')}`;
}

/** Write a file whole or not at all, so the index never reads half a summary. */
async function writeAtomic(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, content, 'utf8');
  await rename(temp, path);
}

function validate(input: RunReportInput): RunReport {
  const result = runReportSchema.safeParse(input);
  if (!result.success) {
    throw new EvkitError(
      'E_INTERNAL',
      `the run report does not match the report model:\n${z.prettifyError(result.error)}`,
      {
        details: { issues: result.error.issues },
        cause: result.error,
      },
    );
  }
  if (!RUN_ID.test(result.data.runId)) {
    throw new EvkitError(
      'E_RUN_ID',
      `run id ${JSON.stringify(result.data.runId)} cannot name a report folder`,
      { details: { runId: result.data.runId } },
    );
  }
  return { ...result.data, config: redactConfig(result.data.config) };
}

/**
 * A run's report: written (and announced through `note`) when `write` is set, else only validated. The load
 * runs, single and segmented, end this way.
 */
export async function finishRunReport(
  input: RunReportInput,
  reportsDir: string,
  write: boolean,
  note: (line: string) => void,
): Promise<{ report: RunReport; written: WrittenReport | undefined }> {
  if (!write) return { report: runReportSchema.parse(input), written: undefined };
  const written = await writeRunReport(input, reportsDir);
  note(`report: ${written.files.html}`);
  return { report: written.report, written };
}

/** Validate a run report (redacting secret-looking config values) and write reports/<runId>/ (summary.json, report.html, junit.xml), then the index. */
export async function writeRunReport(
  input: RunReportInput,
  reportsDir = 'reports',
  options: WriteOptions = {},
): Promise<WrittenReport> {
  const report = validate(input);
  const assets = options.assets ?? (await loadReportAssets());
  const dir = join(reportsDir, report.runId);
  await mkdir(dir, { recursive: true });
  const files = {
    summary: join(dir, RUN_FILES.summary),
    html: join(dir, RUN_FILES.html),
    junit: join(dir, RUN_FILES.junit),
  };
  await writeAtomic(files.html, renderReportHtml(report, assets));
  await writeAtomic(files.junit, renderJunit(report));
  // The summary goes last: a folder with a summary.json is a complete run for the index.
  await writeAtomic(files.summary, `${JSON.stringify(report, null, 2)}\n`);
  const index = options.index === false ? join(reportsDir, INDEX_FILE) : await writeReportsIndex(reportsDir);
  return { dir, files, index, report };
}

/** The fields the index shows, read leniently so that a summary of another model version still gets a row. */
const looseSummary = z.looseObject({
  version: z.number().optional().catch(undefined),
  runId: z.string().optional().catch(undefined),
  kind: z.string().optional().catch(undefined),
  title: z.string().optional().catch(undefined),
  startedAt: z.string().optional().catch(undefined),
  durationMs: z.number().optional().catch(undefined),
  target: z.string().optional().catch(undefined),
  ok: z.boolean().optional().catch(undefined),
});

/** Drop undefined fields: exactOptionalPropertyTypes keeps "absent" and "undefined" apart. */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

async function readEntry(reportsDir: string, dir: string): Promise<IndexEntry | undefined> {
  const names = await readdir(join(reportsDir, dir));
  if (!names.includes(RUN_FILES.summary)) return undefined;
  const files = Object.values(RUN_FILES).filter((f) => names.includes(f));
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(reportsDir, dir, RUN_FILES.summary), 'utf8'));
  } catch (cause) {
    return {
      dir,
      files,
      problem: `summary.json is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`,
    };
  }
  const strict = runReportSchema.safeParse(json);
  const loose = looseSummary.safeParse(json);
  const d: Partial<z.infer<typeof looseSummary>> = loose.success ? loose.data : {};
  const entry: IndexEntry = defined({
    dir,
    files,
    version: d.version,
    runId: d.runId,
    kind: d.kind,
    title: d.title,
    startedAt: d.startedAt,
    durationMs: d.durationMs,
    target: d.target,
    ok: d.ok,
  });
  if (strict.success) return entry;
  const problem = `summary.json does not match report model version ${REPORT_VERSION} (${strict.error.issues.length} issues)`;
  return { ...entry, problem };
}

/** Write reports/index.html linking every run folder that holds a summary.json; returns its path. */
export async function writeReportsIndex(reportsDir = 'reports'): Promise<string> {
  await mkdir(reportsDir, { recursive: true });
  const dirs = (await readdir(reportsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const entries = (await Promise.all(dirs.map((d) => readEntry(reportsDir, d)))).filter(
    (e): e is IndexEntry => e !== undefined,
  );
  const path = join(reportsDir, INDEX_FILE);
  await writeAtomic(path, renderReportsIndexHtml(entries));
  return path;
}
