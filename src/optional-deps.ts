/** Packages some commands need that a user installs beside evkit (peer dependencies): load them on demand. */
import { EvkitError } from './errors.ts';

function isMissingModule(error: unknown, pkg: string): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    typeof e.message === 'string' &&
    e.message.includes(pkg)
  );
}

/**
 * Import a peer dependency through `load` (so its types carry over); when it is not installed, a usage
 * error (exit 2) that names the package and how to install it.
 */
export async function importPeer<T>(load: () => Promise<T>, pkg: string, neededBy: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isMissingModule(error, pkg)) throw error;
    throw new EvkitError('E_TOOL_MISSING', `${neededBy} needs ${pkg}, which is not installed`, {
      details: { tool: pkg },
      cause: error,
    });
  }
}
