/**
 * Where a command's output goes. Human text and JSON go to stdout, problems to stderr.
 * Colors only when the stream is a terminal and NO_COLOR is unset (https://no-color.org).
 */

export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface Styler {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

export interface Output {
  readonly style: Styler;
  readonly errStyle: Styler;
  /** One line (or several) of human output on stdout. */
  line(text?: string): void;
  /** One JSON document on stdout. */
  json(value: unknown): void;
  /** A problem or progress note on stderr. */
  error(text: string): void;
}

export function createOutput(stdout: TextSink, stderr: TextSink, env: Readonly<Record<string, string | undefined>>): Output {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const style = styler(!noColor && stdout.isTTY === true && env.TERM !== 'dumb');
  const errStyle = styler(!noColor && stderr.isTTY === true && env.TERM !== 'dumb');
  return {
    style,
    errStyle,
    line: (text = '') => void stdout.write(`${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    error: (text) => void stderr.write(`${text}\n`),
  };
}

export function styler(enabled: boolean): Styler {
  const sgr = (open: number, close: number) => (text: string) => (enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}
