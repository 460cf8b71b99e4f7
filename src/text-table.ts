/** Render rows as a fixed-width text table, for people (CI reads the JSON outputs). */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: { rightAlign?: readonly number[]; rule?: boolean; indent?: string } = {},
): string {
  const right = options.rightAlign ?? [];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [
    line(headers),
    ...(options.rule === false ? [] : [line(widths.map((w) => '-'.repeat(w)))]),
    ...rows.map(line),
  ];
  return lines.map((l) => `${options.indent ?? ''}${l}`).join('\n');
}
