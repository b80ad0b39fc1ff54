/** Checks one decision against a case's expectations. */
import type { Decision, RedactionObligation } from '../../../shared/domain.ts';
import type { Mismatch } from './results.ts';
import type { ExpectedRedaction, Expectation } from './suite.ts';

export function compareDecision(expect: Expectation, decision: Decision): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const check = (field: string, expected: unknown, actual: unknown): void => {
    if (expected !== actual) mismatches.push({ field, expected, actual });
  };
  check('outcome', expect.outcome, decision.outcome);
  const reasonIds = decision.reasons.map((r) => r.ruleId);
  for (const id of expect.ruleIds) {
    if (!reasonIds.includes(id)) mismatches.push({ field: 'ruleId', expected: id, actual: reasonIds });
  }
  if (expect.rung !== undefined) check('rung', expect.rung, decision.rung);
  if (expect.agent !== undefined) check('agent', expect.agent, decision.agentId);
  if (expect.contract !== undefined) check('contract', expect.contract, decision.contract?.name ?? null);
  if (expect.degraded !== undefined) check('degraded', expect.degraded, decision.degraded);
  if (expect.tokenCap !== undefined) check('tokenCap', expect.tokenCap, decision.obligations.tokenCap ?? null);
  if (expect.redact !== undefined && !sameRedactions(expect.redact, decision.obligations.redact)) {
    mismatches.push({ field: 'redact', expected: expect.redact.map(describeExpected), actual: decision.obligations.redact.map(describeActual) });
  }
  return mismatches;
}

/** Exactly the expected redactions, in any order; each expected one matches a distinct actual one. */
function sameRedactions(expected: readonly ExpectedRedaction[], actual: readonly RedactionObligation[]): boolean {
  if (expected.length !== actual.length) return false;
  const unused = actual.slice();
  // Most specific expectations first, so a bare path does not take the match a detailed one needs.
  const ordered = expected.slice().sort((a, b) => specificity(b) - specificity(a));
  for (const e of ordered) {
    const i = unused.findIndex((a) => matches(e, a));
    if (i === -1) return false;
    unused.splice(i, 1);
  }
  return true;
}

function matches(e: ExpectedRedaction, a: RedactionObligation): boolean {
  return (
    e.path === a.path &&
    (e.dataClass === undefined || e.dataClass === a.dataClass) &&
    (e.method === undefined || e.method === a.method) &&
    (e.target === undefined || e.target === a.target)
  );
}

function specificity(e: ExpectedRedaction): number {
  return (e.dataClass !== undefined ? 1 : 0) + (e.method !== undefined ? 1 : 0) + (e.target !== undefined ? 1 : 0);
}

function describeExpected(e: ExpectedRedaction): string {
  const parts = [e.dataClass, e.method, e.target].filter((p) => p !== undefined);
  return `${e.path || '(text)'}${parts.length > 0 ? ` ${parts.join(' ')}` : ''}`;
}

function describeActual(a: RedactionObligation): string {
  return `${a.path || '(text)'} ${a.dataClass} ${a.method} ${a.target}`;
}
