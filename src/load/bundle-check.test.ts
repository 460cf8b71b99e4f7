import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCRIPTS } from '../../load/lib/names.ts';
import { BUNDLE_OPTIONS, buildLoadScripts, bundlePath } from './build.ts';
import { checkBundle, MAX_BUNDLE_BYTES } from './bundle-check.ts';

const kinds = async (code: string) => (await checkBundle(code)).map((i) => i.kind);
const ok =
  'import http from "k6/http";\nexport default async function () { await http.asyncRequest("GET", "http://x"); }\n';

describe('bundle check', () => {
  beforeAll(async () => {
    await buildLoadScripts();
  });

  it('passes the built scripts', async () => {
    for (const s of SCRIPTS) expect(await checkBundle(readFileSync(bundlePath(s), 'utf8')), s).toEqual([]);
  });

  it('passes k6 and remote imports and ES2022 syntax', async () => {
    expect(await kinds(ok)).toEqual([]);
    expect(
      await kinds(
        'import { check } from "k6";\nimport { x } from "https://jslib.k6.io/x.js";\nclass A { #p = 1; static s = 2; get p() { return this.#p ?? x?.y; } }\nexport default () => { check(new A(), {}); };',
      ),
    ).toEqual([]);
  });

  it('fails Node built-ins, packages and relative imports', async () => {
    expect(await kinds(`import fs from "node:fs";\n${ok}`)).toEqual(['import']);
    expect(await kinds(`import { join } from "path";\n${ok}`)).toEqual(['import']);
    expect(await kinds(`import z from "zod";\n${ok}`)).toEqual(['import']);
    expect(await kinds(`import a from "./a.js";\n${ok}`)).toEqual(['import']);
    expect(await kinds('export default async () => { await import("crypto"); };')).toEqual(['import']);
  });

  it("fails require, also through esbuild's CommonJS shim", async () => {
    expect(await kinds(`const fs = require("fs");\n${ok}`)).toContain('require');
    const cjs = await esbuild.build({
      ...BUNDLE_OPTIONS,
      stdin: {
        contents: 'const p = require("some-package"); export default () => p;',
        loader: 'js',
        resolveDir: '.',
      },
      external: [...BUNDLE_OPTIONS.external, 'some-package'],
      write: false,
      sourcemap: false,
    });
    expect(await kinds(cjs.outputFiles[0]?.text ?? '')).toContain('require');
  });

  it('fails syntax k6 does not run: top-level await, decorators, using, the RegExp v flag', async () => {
    expect(await kinds(`const t = await Promise.resolve(1);\n${ok}`)).toEqual(['syntax']);
    expect(await kinds(`function d(c) { return c; }\n@d class A {}\n${ok}`)).toEqual(['syntax']);
    expect(await kinds(`export function f() { using r = null; return r; }\n${ok}`)).toEqual(['syntax']);
    expect(await kinds(`export const re = /[\\p{L}--[a-z]]/v;\n${ok}`)).toEqual(['syntax']);
    expect(await kinds('export default function ( {')).toEqual(['syntax']);
  });

  it('fails Node globals and oversized bundles', async () => {
    expect(await kinds(`export const k = process.env.KEY;\n${ok}`)).toEqual(['node-global']);
    expect(await kinds(`export const b = Buffer.from("x");\n${ok}`)).toEqual(['node-global']);
    expect(await kinds(`export const big = "${'x'.repeat(MAX_BUNDLE_BYTES)}";\n${ok}`)).toEqual(['size']);
  });
});
