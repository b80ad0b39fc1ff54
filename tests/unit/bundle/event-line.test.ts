import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventHeaderBytes } from '../../../shared/audit.ts';
import type { AuditEventType } from '../../../shared/audit.ts';
import type { EventLine } from '../../../shared/bundle/event-line.ts';
import { eventLinePrefix, quote, quoteHeader, quotedHeaderBytes } from '../../../shared/bundle/event-line.ts';
import type { Outcome } from '../../../shared/domain.ts';

// The lines the verifier derives must be byte for byte what JSON.stringify gives, for any text.
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('a"b', 'back\\slash', 'tab\t', '\ud800 lone', '😀 pair', ''));
const nullable = fc.option(text, { nil: null });
const header = fc.record({
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  ts: text,
  type: text,
  agentId: nullable,
  action: nullable,
  outcome: nullable,
  traceId: nullable,
  payloadHash: text,
  digest: text,
  payloadState: fc.constantFrom('intact', 'redacted', 'erased'),
}).map((h) => ({ ...h, type: h.type as AuditEventType, outcome: h.outcome as Outcome | null }) as EventLine);

describe('event and decision lines', () => {
  it('quotes strings exactly as JSON.stringify does', () => {
    fc.assert(fc.property(nullable, (s) => quote(s) === JSON.stringify(s)));
  });

  it('builds the chained header bytes and the line prefix as JSON.stringify would', () => {
    fc.assert(fc.property(header, (e) => {
      expect(quotedHeaderBytes(quoteHeader(e))).toBe(eventHeaderBytes(e));
      const parsed = JSON.parse(`${eventLinePrefix(e)}null}`) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual(['seq', 'ts', 'type', 'agentId', 'action', 'outcome', 'traceId', 'payloadHash', 'digest', 'payloadState', 'payload']);
      expect(`${eventLinePrefix(e)}null}`).toBe(JSON.stringify({ ...e, payload: null }, ['seq', 'ts', 'type', 'agentId', 'action', 'outcome', 'traceId', 'payloadHash', 'digest', 'payloadState', 'payload']));
    }));
  });
});
