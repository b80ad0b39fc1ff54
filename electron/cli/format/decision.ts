/** A decision in plain words: outcome, who and under what, reasons, obligations, cost. */
import type { Decision, Obligations } from '../../../shared/domain.ts';
import type { Styler } from '../output.ts';

export function formatDecision(decision: Decision, style: Styler, extra: { recordedSeq?: number | null } = {}): string[] {
  const paint = decision.outcome === 'allow' ? style.green : decision.outcome === 'deny' ? style.red : style.yellow;
  const contract = decision.contract ? `${decision.contract.name} v${decision.contract.version}` : 'no contract';
  const lines = [
    `${paint(style.bold(decision.outcome.toUpperCase()))}  ${style.bold(decision.action)}  ` +
      style.dim(`agent ${decision.agentId} (rung: ${decision.rung}), ${contract}`),
  ];
  if (decision.degraded) lines.push(style.yellow(`  degraded: ${decision.degraded}`));
  if (decision.reasons.length > 0) {
    lines.push('  reasons:');
    for (const r of decision.reasons) lines.push(`    ${style.cyan(r.ruleId)}  ${r.message}`);
  } else {
    lines.push('  reasons: none (no rule objected)');
  }
  lines.push(`  obligations: ${formatObligations(decision.obligations)}`);
  const recorded = extra.recordedSeq === undefined ? '' : extra.recordedSeq === null ? ', not recorded' : `, recorded as audit event #${extra.recordedSeq}`;
  lines.push(style.dim(`  cache ${decision.cacheHit ? 'hit' : 'miss'}, ${decision.latencyUs.toFixed(1)} µs, ${decision.rulesEvaluated.length} rules evaluated${recorded}`));
  return lines;
}

export function formatObligations(obligations: Obligations): string {
  const parts: string[] = [];
  if (obligations.tokenCap !== undefined) parts.push(`token cap ${obligations.tokenCap}`);
  for (const r of obligations.redact) parts.push(`redact ${r.target} ${r.path || '(text)'} (${r.dataClass}, ${r.method})`);
  return parts.length > 0 ? parts.join('; ') : 'none';
}
