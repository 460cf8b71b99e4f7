import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EvkitError } from '../errors.ts';
import { pacticipants } from './names.ts';

/** The file in a pacts folder that lists the pact files evkit wrote there (and so may remove again). */
export const PACT_MARKER = '.evkit-pacts';

interface Marker {
  readonly writtenBy: 'evkit';
  readonly files: readonly string[];
}

function readMarker(dir: string): Marker | undefined {
  const path = join(dir, PACT_MARKER);
  if (!existsSync(path)) return undefined;
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<Marker>;
    if (data.writtenBy === 'evkit' && Array.isArray(data.files)) {
      return { writtenBy: 'evkit', files: data.files.filter((f) => typeof f === 'string') };
    }
  } catch {
    // An unreadable marker vouches for nothing: the folder is judged by its contents below.
  }
  return undefined;
}

/** A pact file of our own consumer (written by an evkit before the marker existed). */
function isOwnPact(path: string, consumer: string): boolean {
  if (!path.endsWith('.json') || !statSync(path).isFile()) return false;
  try {
    const pact = JSON.parse(readFileSync(path, 'utf8')) as { consumer?: { name?: unknown } };
    return pact.consumer?.name === consumer;
  } catch {
    return false;
  }
}

/**
 * Make a pacts folder ready for a consumer run without deleting anything evkit did not write: a missing folder is
 * created; in an existing one only the files its marker lists (or, without a marker, our consumer's own pact
 * files) are removed. A folder that holds anything else is refused (exit 2) before the run starts.
 */
export function preparePactDir(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new EvkitError('E_PACTS_DIR', `the pacts folder ${dir} is a file`, {
      details: { dir, problem: 'file' },
    });
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    throw new EvkitError(
      'E_PACTS_DIR',
      `cannot create the pacts folder ${dir}: ${(cause as Error).message}`,
      {
        details: { dir, problem: 'create' },
        cause,
      },
    );
  }
  const marker = readMarker(dir);
  const entries = readdirSync(dir).filter((f) => f !== PACT_MARKER);
  const consumer = pacticipants().consumer;
  const ours = marker
    ? entries.filter((f) => marker.files.includes(f))
    : entries.filter((f) => isOwnPact(join(dir, f), consumer));
  const foreign = entries.filter((f) => !ours.includes(f));
  if (!marker && foreign.length > 0) {
    throw new EvkitError(
      'E_PACTS_DIR',
      `the pacts folder ${dir} holds ${foreign.length} file(s) evkit did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''})`,
      {
        details: { dir, problem: 'foreign', foreign },
      },
    );
  }
  for (const f of ours) rmSync(join(dir, f), { force: true });
  writeMarker(dir, []);
}

/** Record the pact files a consumer run wrote, so the next run may remove exactly those. */
export function writeMarker(dir: string, files: readonly string[]): void {
  const marker: Marker = { writtenBy: 'evkit', files: [...files].sort() };
  writeFileSync(join(dir, PACT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}
