/**
 * The two hashes of the audit trail: an event's chained digest and its payload hash.
 * `crypto.hash` (one-shot, Node 20.12+) is several times faster than createHash for short input.
 */
import { hash } from 'node:crypto';
import type { AuditEventHeader } from '../../../shared/audit.ts';
import { eventHeaderBytes } from '../../../shared/audit.ts';
import { CharterError } from '../../../shared/errors.ts';
import { canonicalJson } from './canonical-json.ts';

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/** sha256(prevDigest + eventHeaderBytes(header)), hex: what `audit_events.digest` holds. */
export function eventDigest(prevDigest: string, header: AuditEventHeader): string {
  return hash('sha256', prevDigest + eventHeaderBytes(header), 'hex');
}

/** RFC 8785 canonical JSON of a payload; `undefined` stands for null. */
export function canonicalPayload(payload: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalJson(payload === undefined ? null : payload);
  } catch (error) {
    throw new CharterError('invalid_argument', `audit payload is not JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw new CharterError('invalid_argument', `audit payload is not JSON: a ${typeof payload}`);
  return text;
}
