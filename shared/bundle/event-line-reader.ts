/**
 * Reads an events.ndjson line in the exact form eventLine() writes, by position, without
 * JSON.parse: each header field is sliced out as its JSON token, and a token is accepted only
 * when it is what JSON.stringify gives for its value (no escapes, control characters or lone
 * surrogates), so the chain's header bytes are the tokens themselves. Anything else — escapes
 * included — answers undefined and the caller takes the slow path (parse and compare), which
 * also names what is wrong.
 */
import type { QuotedHeader } from './event-line.ts';
import type { PayloadState } from './event-line.ts';

export interface SlicedLine {
  readonly quoted: QuotedHeader;
  readonly type: string;
  readonly outcome: string | null;
  readonly digest: string;
  readonly payloadHash: string;
  readonly payloadState: PayloadState;
  /** The payload's text exactly as in the line. */
  readonly payloadText: string;
}

const PLAIN = /["\\\u0000-\u001f\ud800-\udfff]/;
const QUOTE = 0x22;

/** The end (exclusive) of a plain string token at `at`, or -1. */
function plainString(line: string, at: number): number {
  if (line.charCodeAt(at) !== QUOTE) return -1;
  const end = line.indexOf('"', at + 1);
  if (end === -1 || PLAIN.test(line.slice(at + 1, end))) return -1;
  return end + 1;
}

/** A plain string token or `null` at `at`: its end, or -1. */
function nullableString(line: string, at: number): number {
  return line.startsWith('null', at) ? at + 4 : plainString(line, at);
}

const STATE_TOKENS: readonly (readonly [string, PayloadState])[] = [['"intact"', 'intact'], ['"redacted"', 'redacted'], ['"erased"', 'erased']];

const FIELDS: readonly (readonly [string, (line: string, at: number) => number])[] = [
  ['', plainString], [',"type":', plainString], [',"agentId":', nullableString], [',"action":', nullableString],
  [',"outcome":', nullableString], [',"traceId":', nullableString], [',"payloadHash":', plainString], [',"digest":', plainString],
];

/** `line` without its newline; `seq` the event expected there. */
export function sliceEventLine(line: string, seq: number): SlicedLine | undefined {
  const seqText = String(seq);
  const head = `{"seq":${seqText},"ts":`;
  if (!line.startsWith(head)) return undefined;
  let at = head.length;
  const tokens: string[] = [];
  for (const [key, read] of FIELDS) {
    if (!line.startsWith(key, at)) return undefined;
    const start = at + key.length;
    const end = read(line, start);
    if (end === -1) return undefined;
    tokens.push(line.slice(start, end));
    at = end;
  }
  if (!line.startsWith(',"payloadState":', at)) return undefined;
  at += ',"payloadState":'.length;
  const state = STATE_TOKENS.find(([token]) => line.startsWith(token, at));
  if (!state || !line.startsWith(',"payload":', at + state[0].length) || line.charCodeAt(line.length - 1) !== 0x7d) return undefined;
  const payloadStart = at + state[0].length + ',"payload":'.length;
  const [ts, type, agentId, action, outcome, traceId, payloadHash, digest] = tokens as [string, string, string, string, string, string, string, string];
  return {
    quoted: { seq: seqText, ts, type, agentId, action, outcome, traceId, payloadHash },
    type: type.slice(1, -1),
    outcome: outcome === 'null' ? null : outcome.slice(1, -1),
    digest: digest.slice(1, -1),
    payloadHash: payloadHash.slice(1, -1),
    payloadState: state[1],
    payloadText: line.slice(payloadStart, -1),
  };
}
