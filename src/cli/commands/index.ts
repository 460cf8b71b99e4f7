import type { Command } from 'commander';
import { defineCanIDeploy } from './can-i-deploy.ts';
import { defineContracts } from './contracts.ts';
import { defineFindLimit } from './find-limit.ts';
import { defineGenerate } from './generate.ts';
import { defineLoad } from './load.ts';
import { defineMock } from './mock.ts';
import { defineOpenapi } from './openapi.ts';
import { defineProbe } from './probe.ts';
import { definePublish } from './publish.ts';
import { defineRecordDeployment, defineRecordRelease } from './record.ts';
import { defineStart } from './start.ts';
import { defineTenant } from './tenant.ts';
import { defineVerify } from './verify.ts';

/** Every evkit command: each file adds one command to the program and delegates to its module. */
export const COMMANDS: readonly ((program: Command) => void)[] = [
  defineStart,
  defineOpenapi,
  defineTenant,
  defineMock,
  defineGenerate,
  defineContracts,
  defineVerify,
  definePublish,
  defineCanIDeploy,
  defineRecordDeployment,
  defineRecordRelease,
  defineLoad,
  defineFindLimit,
  defineProbe,
];
