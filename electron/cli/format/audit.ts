/** Audit events, one line each. */
import type { AuditEvent } from '../../../shared/audit.ts';
import type { Styler } from '../output.ts';

export function formatEvent(event: AuditEvent, style: Styler): string {
  const outcome = event.outcome === null ? '' : event.outcome === 'allow' ? style.green(event.outcome) : event.outcome === 'deny' ? style.red(event.outcome) : style.yellow(event.outcome);
  const fields = [
    style.dim(`#${event.seq}`),
    style.dim(event.ts),
    style.bold(event.type),
    event.agentId ? `agent=${event.agentId}` : '',
    event.action ? `action=${event.action}` : '',
    outcome,
    event.traceId ? style.dim(`trace=${event.traceId}`) : '',
    event.payloadState !== 'intact' ? style.yellow(`payload ${event.payloadState}`) : '',
  ];
  return fields.filter((f) => f !== '').join('  ');
}
