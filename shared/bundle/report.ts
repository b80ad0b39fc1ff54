/**
 * report.html: what an auditor reads without Charter. Self-contained — inline CSS and SVG, no
 * script, no external resource (a CSP meta tag forbids them) — and built only from the data
 * the manifest and events already hold.
 */
import type { Manifest } from './format.ts';

export interface ReportBlocked {
  readonly seq: number;
  readonly ts: string;
  readonly agentId: string | null;
  readonly action: string | null;
  readonly rules: readonly string[];
}

export interface ReportData {
  readonly manifest: Omit<Manifest, 'files'>;
  readonly signerKids: readonly string[];
  /** Events per day (YYYY-MM-DD), in order. */
  readonly perDay: readonly (readonly [string, number])[];
  readonly approvals: { readonly requested: number; readonly approved: number; readonly denied: number };
  readonly blocked: readonly ReportBlocked[];
  readonly blockedTotal: number;
}

function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const OUTCOME_COLORS: Readonly<Record<string, string>> = { allow: '#2e7d32', deny: '#c62828', escalate: '#ef6c00' };

function barChart(title: string, rows: readonly (readonly [string, number])[], color: (label: string) => string): string {
  if (rows.length === 0) return `<p>No ${esc(title.toLowerCase())}.</p>`;
  const max = Math.max(...rows.map(([, n]) => n), 1);
  const barH = 18;
  const width = 560;
  const labelW = 150;
  const bars = rows.map(([label, n], i) => {
    const w = Math.max(1, Math.round(((width - labelW - 60) * n) / max));
    const y = i * (barH + 6);
    return `<text x="0" y="${y + 13}" font-size="12">${esc(label)}</text>`
      + `<rect x="${labelW}" y="${y}" width="${w}" height="${barH}" fill="${color(label)}"><title>${esc(label)}: ${n}</title></rect>`
      + `<text x="${labelW + w + 6}" y="${y + 13}" font-size="12">${n}</text>`;
  }).join('');
  const height = rows.length * (barH + 6);
  return `<figure><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${bars}</svg></figure>`;
}

export function renderReport(data: ReportData): string {
  const m = data.manifest;
  const outcomes = Object.entries(m.counts.decisionsByOutcome).sort();
  const types = Object.entries(m.counts.eventsByType).sort();
  const perDay = data.perDay.length > 60 ? data.perDay.slice(-60) : data.perDay;
  const period = `${m.period.from ?? 'the first event'} — ${m.period.to ?? 'the last event'}`;
  const contracts = m.contracts.length === 0
    ? '<p>No published contract versions.</p>'
    : `<table><thead><tr><th>Contract</th><th>Version</th><th>SHA-256</th></tr></thead><tbody>${m.contracts
      .map((c) => `<tr><td>${esc(c.name)}</td><td>${c.version}</td><td><code>${esc(c.hash)}</code></td></tr>`).join('')}</tbody></table>`;
  const blocked = data.blocked.length === 0
    ? '<p>No blocked actions.</p>'
    : `<table><thead><tr><th>Event</th><th>Time</th><th>Agent</th><th>Action</th><th>Rules</th></tr></thead><tbody>${data.blocked
      .map((b) => `<tr><td>${b.seq}</td><td>${esc(b.ts)}</td><td>${esc(b.agentId ?? '')}</td><td>${esc(b.action ?? '')}</td><td>${esc(b.rules.join(', '))}</td></tr>`)
      .join('')}</tbody></table>${data.blockedTotal > data.blocked.length ? `<p>… and ${data.blockedTotal - data.blocked.length} more (the decision events in events.ndjson).</p>` : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Charter compliance report — ${esc(m.workspace.name)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1a1a1a;padding:0 1rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
code{font-size:12px;word-break:break-all}figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.25rem}
.integrity{border:2px solid #2e7d32;padding:.75rem 1rem;border-radius:6px}</style></head>
<body>
<h1>Compliance report: ${esc(m.workspace.name)}</h1>
<p>Workspace <code>${esc(m.workspace.id)}</code>. Period: ${esc(period)}. Exported ${esc(m.createdAt)}.</p>
<h2>Contracts and versions</h2>${contracts}
<h2>Decisions by outcome</h2>${barChart('Decisions by outcome', outcomes, (o) => OUTCOME_COLORS[o] ?? '#546e7a')}
<h2>Activity</h2>${barChart('Events per day', perDay, () => '#1565c0')}${barChart('Events by type', types, () => '#546e7a')}
<h2>Escalations and approvals</h2>
<p>${m.counts.decisionsByOutcome.escalate ?? 0} decisions escalated to a human; ${data.approvals.requested} approvals requested, ${data.approvals.approved} approved, ${data.approvals.denied} denied.</p>
<h2>Blocked actions</h2>${blocked}
<h2>Integrity</h2>
<div class="integrity"><p>This bundle holds audit events ${m.events.firstSeq} to ${m.checkpoint.treeSize} (${m.counts.events} events).
Each event is chained to the one before by SHA-256; the Merkle tree (RFC 9162) over all ${m.checkpoint.treeSize} events of the
trail has root hash <code>${esc(m.checkpoint.rootHash)}</code>, and the last event's digest is <code>${esc(m.checkpoint.headDigest)}</code>.
The manifest listing every file's SHA-256 is signed (EdDSA) by ${data.signerKids.map((k) => `<code>${esc(k)}</code>`).join(', ') || 'no key'}.
Run <code>charter bundle verify</code> with the keys you trust to check all of this; this page alone proves nothing.</p></div>
</body></html>
`;
}
