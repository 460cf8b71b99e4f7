import { readFileSync } from 'node:fs';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../src/cli/main.ts';
import { ROOT } from './helpers/cli.ts';

const FILE = `${ROOT}examples/github-actions/evkit.yml`;

/** Errors of GitHub's own workflow parser (schema and expressions). */
function lint(name: string, content: string): string[] {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

describe('the GitHub Actions example', () => {
  const content = readFileSync(FILE, 'utf8');

  it('passes the workflow linter', () => {
    expect(lint('evkit.yml', content)).toEqual([]);
  });

  it('the linter catches a broken workflow (the check can fail)', () => {
    const broken = content.replace('runs-on: ubuntu-latest', 'runz-on: ubuntu-latest');
    expect(lint('broken.yml', broken).length).toBeGreaterThan(0);
  });

  it("runs the team's tests, verify, publish, can-i-deploy and record-deployment on push, and k6 on demand", () => {
    const wf = parse(content) as {
      on: Record<string, unknown>;
      jobs: Record<string, { steps: { run?: string; uses?: string }[] }>;
    };
    expect(Object.keys(wf.on)).toEqual(expect.arrayContaining(['push', 'workflow_dispatch']));
    const runs = (job: string) => (wf.jobs[job]?.steps ?? []).map((s) => s.run ?? s.uses ?? '').join('\n');
    const steps = runs('contracts');
    const order = [
      'npm ci',
      'npm test',
      'npx evkit verify',
      'npx evkit publish',
      'npx evkit can-i-deploy',
      'npx evkit record-deployment',
    ];
    const at = order.map((cmd) => steps.indexOf(cmd));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // evkit is a dependency of the user's repository: nothing assumes a checkout of evkit.
    expect(content).not.toMatch(/npm start|bin\/evkit|git clone/);
    expect(runs('load')).toContain('grafana/setup-k6-action');
    expect(runs('load')).toContain('--engine k6');
  });

  it('uses only commands and flags that evkit has', () => {
    const program = buildProgram();
    const used = [...content.matchAll(/npx evkit ([a-z-]+)((?: --[a-z-]+)*)/g)];
    expect(used.length).toBeGreaterThan(3);
    for (const [, command, flagText] of used) {
      const cmd = program.commands.find((c) => c.name() === command);
      expect(cmd, `evkit ${command}`).toBeDefined();
      for (const flag of (flagText ?? '').trim().split(/\s+/).filter(Boolean)) {
        expect(
          cmd?.options.some((o) => o.long === flag),
          `evkit ${command} ${flag}`,
        ).toBe(true);
      }
    }
  });
});
