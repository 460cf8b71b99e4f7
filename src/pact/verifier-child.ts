import { spawn } from 'node:child_process';
import type { Verifier } from '@pact-foundation/pact';
import { type ErrorCode, EvkitError, errorFrom, isEvkitError } from '../errors.ts';
import { importPeer } from '../optional-deps.ts';
import { mockStateSetter, type StateCall, stateFilter } from './state-bridge.ts';
import { parseVerifierJson, type VerifierJson } from './verify-result.ts';

/** The verifier's options, as plain data (the state filter is built where the verifier runs). */
export type VerifierJobOptions = Omit<ConstructorParameters<typeof Verifier>[0], 'requestFilter'>;

/** One verification for the child process: the verifier's options and where provider states are set. */
export interface VerifierJob {
  readonly options: VerifierJobOptions;
  /** `mock`: states through the mock's control API; `none`: a real provider, states are not settable. */
  readonly states:
    | { readonly kind: 'mock'; readonly url: string; readonly adminToken?: string }
    | { readonly kind: 'none' };
}

/** What the child answers. */
export type VerifierOutcome =
  | { readonly ok: true; readonly json: VerifierJson; readonly calls: StateCall[] }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string; readonly details?: unknown };

/** What a verification gave: the outcome and everything the verifier and its libraries printed. */
export interface IsolatedVerification {
  readonly json: VerifierJson;
  readonly calls: readonly StateCall[];
  /** pact-core's transcript, Rust log lines and warnings of dependencies: for a log file, never stdout. */
  readonly transcript: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const stripAnsi = (text: string): string => text.replace(ANSI, '');

const UNABLE = /unable to run|invalid|requires|no pacts? (were )?found/i;

async function runVerifier(options: ConstructorParameters<typeof Verifier>[0]): Promise<VerifierJson> {
  // Loaded here, in the child only: pact-js's proxy is what warns about util._extend.
  const pact = await importPeer(
    () => import('@pact-foundation/pact'),
    '@pact-foundation/pact',
    'evkit verify',
  );
  let text: string;
  try {
    text = await new pact.Verifier(options).verifyProvider();
  } catch (error) {
    text = error instanceof Error ? error.message : String(error);
    const json = parseVerifierJson(text);
    if (json) return json;
    throw new EvkitError(
      UNABLE.test(text) ? 'E_VERIFIER_SETUP' : 'E_VERIFIER',
      `the Pact verifier could not run: ${text}`,
      { cause: error },
    );
  }
  const json = parseVerifierJson(text);
  if (!json)
    throw new EvkitError(
      'E_INTERNAL',
      `the Pact verifier answered something that is not JSON: ${text.slice(0, 200)}`,
    );
  return json;
}

/** Run one verification here (in the child process). */
export async function verifierChildMain(job: VerifierJob): Promise<VerifierOutcome> {
  const calls: StateCall[] = [];
  const setter =
    job.states.kind === 'mock' ? mockStateSetter(job.states.url, job.states.adminToken) : undefined;
  try {
    const json = await runVerifier({ ...job.options, requestFilter: stateFilter(setter, calls) });
    return { ok: true, json, calls };
  } catch (error) {
    return isEvkitError(error)
      ? { ok: false, code: error.code, message: error.message, details: error.details }
      : { ok: false, code: 'E_INTERNAL', message: String((error as Error)?.stack ?? error) };
  }
}

/**
 * Run the verifier in a child process. pact-core's native verifier prints its transcript (with ANSI colours)
 * straight to file descriptor 1 and Rust log lines to 2, and its proxy triggers a Node deprecation warning; none
 * of that can be caught in this process. The child imports this same module (by its own URL, so sources and a
 * compiled dist alike) and answers over IPC; its output becomes the transcript.
 */
export function verifyInChild(job: VerifierJob): Promise<IsolatedVerification> {
  const code = `const m = await import(${JSON.stringify(import.meta.url)});
process.once('message', async (job) => { const r = await m.verifierChildMain(job); process.send(r, () => process.exit(0)); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let transcript = '';
    child.stdout?.on('data', (d: Buffer) => {
      transcript += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      transcript += d.toString();
    });
    let outcome: VerifierOutcome | undefined;
    child.on('message', (message) => {
      outcome = message as VerifierOutcome;
    });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      if (outcome === undefined) {
        reject(
          new EvkitError(
            'E_INTERNAL',
            `the Pact verifier process ended (exit ${exitCode}) without an answer`,
            {
              details: { transcript: transcript.slice(-4000) },
            },
          ),
        );
      } else if (outcome.ok) {
        // pact-core colours its transcript whatever NO_COLOR says: a log file gets plain text.
        resolve({ json: outcome.json, calls: outcome.calls, transcript: stripAnsi(transcript) });
      } else {
        reject(
          errorFrom(outcome.code, outcome.message, {
            ...(outcome.details as object | undefined),
            transcript: transcript.slice(-4000),
          }),
        );
      }
    });
    child.send(job);
  });
}
