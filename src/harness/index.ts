/** The k6 API harness: runs a k6 bundle in a Node worker thread with shims of the k6 modules (the model it runs on is src/k6). */
import { Worker } from 'node:worker_threads';
import { EvkitError } from '../errors.ts';
import { siblingModule } from '../package-root.ts';
import type { HarnessProgress, HarnessResult, WorkerMessage, WorkerRequest } from './protocol.ts';

/** The k6/crypto and k6/encoding shims as the harness gives them to a bundle (to test code written for k6). */
export { createCryptoModule } from './modules/crypto.ts';
export { createEncodingModule } from './modules/encoding.ts';
export type { HarnessProgress, HarnessResult, WorkerRequest } from './protocol.ts';

/** Options of a harness run: the worker request plus main-thread callbacks. */
export interface HarnessRunOptions extends Omit<WorkerRequest, 'mode'> {
  onProgress?: (progress: HarnessProgress) => void;
  /** Aborting ends the test early, like Ctrl-C in k6: in-flight iterations are interrupted, a summary is made. */
  signal?: AbortSignal;
}

const PHASE_CODE = { init: 'E_SCRIPT_SETTING', options: 'E_SCRIPT_SETTING' } as const;

function start(
  request: WorkerRequest,
  onMessage: (m: WorkerMessage) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(siblingModule('./worker', import.meta.url), { workerData: request });
    let settled = false;
    const abort = () => worker.postMessage({ type: 'abort' });
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
    worker.once('exit', () => signal?.removeEventListener('abort', abort));
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'error') {
        settled = true;
        const code = PHASE_CODE[m.phase as keyof typeof PHASE_CODE] ?? 'E_INTERNAL';
        reject(
          new EvkitError(code, `the script failed in ${m.phase}: ${m.message}`, {
            details: { bundle: request.bundle, stack: m.stack },
          }),
        );
        void worker.terminate();
        return;
      }
      onMessage(m);
      if (m.type === 'result' || m.type === 'options') {
        settled = true;
        resolve();
        void worker.terminate();
      }
    });
    worker.on('error', (error) => {
      if (!settled)
        reject(new EvkitError('E_INTERNAL', `harness worker crashed: ${error.message}`, { cause: error }));
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled)
        reject(new EvkitError('E_INTERNAL', `harness worker exited with code ${code} before a result`));
      settled = true;
    });
  });
}

/** Run a bundle's scenarios in the harness and resolve to its result. */
export async function runHarness(options: HarnessRunOptions): Promise<HarnessResult> {
  const { onProgress, signal, ...rest } = options;
  let result: HarnessResult | undefined;
  await start(
    { ...rest, mode: 'run' },
    (m) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      if (m.type === 'result') result = m.result;
    },
    signal,
  );
  if (!result) throw new EvkitError('E_INTERNAL', 'the harness ended without a result');
  return result;
}

/** Load a bundle (its init code) and return its exported `options`, without running anything. */
export async function readScriptOptions(
  bundle: string,
  env: Record<string, string>,
): Promise<Record<string, unknown>> {
  let options: Record<string, unknown> = {};
  await start({ mode: 'options', bundle, env }, (m) => {
    if (m.type === 'options') options = m.options;
  });
  return options;
}
