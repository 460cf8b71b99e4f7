import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { EvkitError } from '../errors.ts';
import type { ReportAssets } from './html.ts';

const require = createRequire(import.meta.url);

let cached: Promise<ReportAssets> | undefined;

/** Read uPlot's browser bundle and stylesheet from node_modules, once per process, to inline into reports. */
export function loadReportAssets(): Promise<ReportAssets> {
  cached ??= Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]).then(
    ([uplotJs, uplotCss]) => ({ uplotJs, uplotCss }),
    (cause: unknown) => {
      cached = undefined;
      throw new EvkitError('E_INSTALL', 'cannot read the uPlot files that report.html inlines', {
        details: { package: 'uplot' },
        cause,
      });
    },
  );
  return cached;
}
