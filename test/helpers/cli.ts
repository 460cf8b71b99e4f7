import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a child process printed, how it ended, and how long it took. */
export interface Collected {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Run a command in a child process, collecting its output and exit code; killed after `timeoutMs`. */
export function spawnCollect(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; input?: string; timeoutMs: number },
): Promise<Collected> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Run the evkit CLI in a child process (the Node running the tests), collecting its output and exit code. */
export function runEvkit(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<Collected> {
  return spawnCollect(process.execPath, [`${ROOT}bin/evkit.js`, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true', SCARF_ANALYTICS: 'false', ...options.env },
    timeoutMs: options.timeoutMs ?? 120_000,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
}

/** The in-process runs of this test file, one after another. */
let inProcessQueue: Promise<unknown> = Promise.resolve();

/**
 * Run the CLI in this process: `runCli`, what bin/evkit.js runs, with the given environment entries and working
 * folder for the call (both put back after it), collecting what it writes and its exit code. For refusals that
 * come before anything starts, without a child process's start-up. Calls wait for each other (each swaps the
 * process's stdout, stderr and folder); a call with `env` must not run beside tests that start child processes,
 * which would inherit it.
 */
export function runEvkitInProcess(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<Collected> {
  const run = inProcessQueue.then(() => runInProcess(args, options));
  inProcessQueue = run.catch(() => {});
  return run;
}

async function runInProcess(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<Collected> {
  const { runCli } = await import('../../src/cli/main.ts');
  const started = Date.now();
  const saved = { cwd: process.cwd() };
  const env = Object.entries(options.env ?? {});
  const savedEnv = env.map(([name]) => [name, process.env[name]] as const);
  const setEnv = (entries: readonly (readonly [string, string | undefined])[]) => {
    for (const [name, value] of entries) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  setEnv(env);
  try {
    if (options.cwd) process.chdir(options.cwd);
    const { value: code, stdout, stderr } = await captureOutput(() => runCli(args));
    return { code, stdout, stderr, ms: Date.now() - started };
  } finally {
    process.chdir(saved.cwd);
    setEnv(savedEnv);
  }
}

/**
 * Run `fn` with this process's stdout and stderr written into strings (and process.exitCode reset after):
 * for a command run in the test's own process. One at a time: the streams are the process's.
 */
export async function captureOutput<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; stdout: string; stderr: string }> {
  const saved = { out: process.stdout.write, err: process.stderr.write };
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const value = await fn();
    return { value, stdout, stderr };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exitCode = undefined;
  }
}
