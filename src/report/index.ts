/** Run reports: the model, and its text, HTML, JUnit and chart renderings. */

export { drawnSeconds } from './charts.ts';
export { renderJunit } from './junit.ts';
export type { Chart, Percentiles, RunReport, RunReportInput, Series, Verdict } from './model.ts';
export { REPORT_VERSION, runReportSchema } from './model.ts';
export type { WrittenReport } from './write.ts';
export { finishRunReport, newRunId, writeReportsIndex, writeRunReport } from './write.ts';
