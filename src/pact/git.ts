import { execFileSync } from 'node:child_process';
import { EvkitError } from '../errors.ts';

function git(args: readonly string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The commit a pacticipant version defaults to: `git rev-parse HEAD`. */
export function gitCommit(cwd: string = process.cwd()): string {
  const sha = git(['rev-parse', 'HEAD'], cwd);
  if (!sha) {
    throw new EvkitError('E_VERSION', 'cannot read the git commit to use as the version', {
      details: { cwd, need: 'git' },
    });
  }
  return sha;
}

/** The current git branch, or undefined (detached HEAD, no git). */
export function gitBranch(cwd: string = process.cwd()): string | undefined {
  const branch = git(['rev-parse', '--abbrev-ref', 'HEAD'], cwd);
  return branch && branch !== 'HEAD' ? branch : undefined;
}
