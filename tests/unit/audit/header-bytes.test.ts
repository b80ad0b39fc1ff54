import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEventHeader, AuditEventType } from '../../../shared/audit.ts';
import { eventHeaderBytes } from '../../../shared/audit.ts';
import type { Outcome } from '../../../shared/domain.ts';

// verify.ts lets SQLite render the header bytes with json_array; they must be exactly the bytes
// shared/audit.ts defines, or an honest trail would fail to verify. (seq is an INTEGER column,
// hence bound as a BigInt here: a JS number binds as REAL.)
const sqlite = new BetterSqlite3(':memory:');
const render = sqlite.prepare('select json_array(?, ?, ?, ?, ?, ?, ?, ?)').pluck();
afterAll(() => sqlite.close());

/** Well-formed text (no lone surrogates: UTF-8 storage cannot hold them), control characters included. */
const text = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\u0000', '\n', '\u001f', '\u007f', '\u2028', '/'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) });
const nullable = fc.option(text, { nil: null });

describe('header bytes rendered by SQLite', () => {
  it('equal eventHeaderBytes for any header', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), text, text, nullable, nullable, nullable, nullable, text,
        (seq, ts, type, agentId, action, outcome, traceId, payloadHash) => {
          const header: AuditEventHeader = {
            seq, ts, type: type as AuditEventType, agentId, action, outcome: outcome as Outcome | null, traceId, payloadHash,
          };
          expect(render.get(BigInt(seq), ts, type, agentId, action, outcome, traceId, payloadHash)).toBe(eventHeaderBytes(header));
        }),
      { numRuns: 2000 },
    );
  });
});
