/** Plain aligned columns for lists. */
import type { Styler } from '../output.ts';

export function table(headers: readonly string[], rows: readonly (readonly string[])[], style: Styler): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [style.bold(line(headers)), ...rows.map(line)];
}
