/** Paths as users typed them: relative to the working directory when inside it. */
import { isAbsolute, relative } from 'node:path';
import { formatDiagnostic } from '../../../shared/errors.ts';
import type { Diagnostic } from '../../../shared/errors.ts';
import type { Styler } from '../output.ts';

export function displayPath(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

export function relativeDiagnostic(d: Diagnostic, cwd: string): Diagnostic {
  return d.location?.file ? { ...d, location: { ...d.location, file: displayPath(d.location.file, cwd) } } : d;
}

/** `file:line:col: error: message [code]`, the location bold and the severity colored. */
export function diagnosticLine(d: Diagnostic, cwd: string, style: Styler): string {
  const text = formatDiagnostic(relativeDiagnostic(d, cwd));
  const marker = `: ${d.severity}: `;
  const at = text.indexOf(marker);
  if (at === -1) return text;
  const paint = d.severity === 'error' ? style.red : style.yellow;
  return `${style.bold(text.slice(0, at))}: ${paint(`${d.severity}:`)} ${text.slice(at + marker.length)}`;
}
