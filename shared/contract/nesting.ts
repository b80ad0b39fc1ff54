/**
 * A cheap guard run before the YAML parser: refuses text that nests absurdly deep (10,000 `[`,
 * `- - - …`, staircase indentation), which would otherwise cost the parser seconds and its
 * recursive composer the stack. It over-approximates YAML's structure from brackets, quotes,
 * comments, block scalars and indentation; the exact depth is checked again on the parsed value.
 */

const OPENS_FLOW_AFTER = new Set(['', ':', '-', '?', ',', '[', '{']);

/** The offset where nesting first exceeds `limit`, or -1. Linear in the text's length. */
export function findExcessiveNesting(text: string, limit: number): number {
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | null = null;
  let blockScalarParent = -1;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    let i = lineStart;
    while (i < lineEnd && text[i] === ' ') i++;
    const indent = i - lineStart;
    const blank = i >= lineEnd || text[i] === '\r' || text[i] === '#';

    if (blockScalarParent >= 0 && (blank || indent > blockScalarParent)) {
      lineStart = lineEnd + 1;
      continue;
    }
    blockScalarParent = -1;

    if (quote === null && flow === 0 && !blank) {
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
      indents.push(indent);
      // Compact nesting on one line: `- - x`, `? - x`.
      while ((text[i] === '-' || text[i] === '?') && (text[i + 1] === ' ' || i + 1 >= lineEnd)) {
        i += 2;
        while (i < lineEnd && text[i] === ' ') i++;
        indents.push(i - lineStart);
      }
      if (indents.length > limit) return i;
    }

    let last = ''; // the last non-blank character on this line, outside quotes
    let lastContent = -1;
    for (; i < lineEnd; i++) {
      const c = text[i] as string;
      if (quote !== null) {
        if (quote === '"' && c === '\\') i++;
        else if (c === quote) quote = null;
        lastContent = i;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r') continue;
      if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) break;
      const opens = flow > 0 || OPENS_FLOW_AFTER.has(last);
      if ((c === '"' || c === "'") && OPENS_FLOW_AFTER.has(last)) quote = c;
      else if ((c === '[' || c === '{') && opens) {
        flow++;
        if (flow + indents.length > limit) return i;
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
      last = c;
      lastContent = i;
    }
    if (quote === null && flow === 0 && lastContent >= 0 && isBlockScalarHeader(text, lineStart, lastContent)) {
      blockScalarParent = indent;
    }
    lineStart = lineEnd + 1;
  }
  return -1;
}

function lastNonSpace(text: string, from: number, before: number): string {
  for (let k = before - 1; k >= from; k--) {
    const c = text[k] as string;
    if (c !== ' ' && c !== '\t') return c;
  }
  return '';
}

/** Whether the line's content ends with a block scalar header: `key: |`, `- >-`, `|2+`. */
function isBlockScalarHeader(text: string, lineStart: number, last: number): boolean {
  let k = last;
  while (k >= lineStart && /[-+0-9]/.test(text[k] as string)) k--;
  if (k < lineStart || (text[k] !== '|' && text[k] !== '>')) return false;
  const before = lastNonSpace(text, lineStart, k);
  return before === '' || before === ':' || before === '-' || before === '?';
}
