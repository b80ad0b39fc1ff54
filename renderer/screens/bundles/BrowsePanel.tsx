/** A verified bundle, read-only: replay its events, its manifest, its contracts and its own report. */
import type { KeyboardEvent } from 'react';
import { useEffect, useRef } from 'react';
import type { BundleSummary } from '../../../shared/api/types.ts';
import type { BrowseTab } from '../../state/bundles.ts';
import { useBundles } from '../../state/bundles.ts';
import { count, formatBytes } from './format.ts';
import { Replay } from './Replay.tsx';

const TABS: readonly { readonly id: BrowseTab; readonly label: string }[] = [
  { id: 'replay', label: 'Replay' },
  { id: 'manifest', label: 'Manifest' },
  { id: 'contracts', label: 'Contracts' },
  { id: 'report', label: 'Report' },
];

export function BrowsePanel() {
  const { check, tab, setTab, closeBundle } = useBundles();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const panel = useRef<HTMLElement>(null);
  const handle = check?.ok ? check.handle : null;
  const ready = useBundles((s) => s.detail !== null || s.page?.total === 0);
  const shown = useRef<string | null>(null);
  useEffect(() => {
    // A freshly verified bundle is what the user wants to read next: once its first event is
    // there (so the panel has its height), bring it into view.
    if (handle && ready && shown.current !== handle) {
      shown.current = handle;
      panel.current?.scrollIntoView({ block: 'start' });
    }
  }, [handle, ready]);
  if (!check?.ok) return null;
  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = TABS.findIndex((t) => t.id === tab);
    const next = event.key === 'ArrowRight' ? at + 1 : event.key === 'ArrowLeft' ? at - 1 : null;
    if (next === null) return;
    event.preventDefault();
    event.stopPropagation();
    const target = TABS[(next + TABS.length) % TABS.length] as (typeof TABS)[number];
    setTab(target.id);
    buttons.current[TABS.indexOf(target)]?.focus();
  };
  return (
    <section ref={panel} className="panel bundles-browse" aria-labelledby="browse-title" data-testid="bundle-browse">
      <div className="toolbar">
        <h2 id="browse-title">{check.fileName} <span className="hint">(read-only)</span></h2>
        <span className="verified-badge">✓ Verified · root <code>{check.summary.checkpoint.rootHash.slice(0, 12)}…</code></span>
        <span className="spacer" />
        <div role="tablist" aria-label="Bundle views" className="tabs" onKeyDown={onKey}>
          {TABS.map((t, i) => (
            <button
              key={t.id}
              ref={(el) => { buttons.current[i] = el; }}
              type="button"
              role="tab"
              id={`bundle-tab-${t.id}`}
              aria-controls={`bundle-panel-${t.id}`}
              aria-selected={tab === t.id}
              tabIndex={tab === t.id ? 0 : -1}
              className={tab === t.id ? 'tab active' : 'tab'}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <button type="button" className="ghost" onClick={() => void closeBundle()}>Close bundle</button>
      </div>
      <div role="tabpanel" id={`bundle-panel-${tab}`} aria-labelledby={`bundle-tab-${tab}`} className="tabpanel">
        {tab === 'replay' && <Replay />}
        {tab === 'manifest' && <Manifest summary={check.summary} signers={check.signers} />}
        {tab === 'contracts' && <Contracts summary={check.summary} />}
        {tab === 'report' && <Report />}
      </div>
    </section>
  );
}

function Manifest({ summary: s, signers }: { readonly summary: BundleSummary; readonly signers: readonly string[] }) {
  const entries = (record: Readonly<Record<string, number>>) => Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="manifest" data-testid="bundle-manifest">
      <dl className="facts">
        <dt>Workspace</dt><dd>{s.workspace.name} <code>{s.workspace.id}</code></dd>
        <dt>Created</dt><dd>{s.createdAt}</dd>
        <dt>Period</dt><dd>{s.period.from ?? 'start of the trail'} → {s.period.to ?? 'export time'} (to is exclusive)</dd>
        <dt>Events</dt><dd>{s.events === 0 ? 'none' : `${count(s.events, 'event')}, #${s.firstSeq}–#${s.checkpoint.treeSize}`}</dd>
        <dt>By type</dt><dd>{entries(s.eventsByType).map(([k, v]) => `${k} ${v}`).join(' · ') || '—'}</dd>
        <dt>Decisions</dt><dd>{entries(s.decisionsByOutcome).map(([k, v]) => `${k} ${v}`).join(' · ') || '—'}</dd>
        <dt>Signed tree</dt><dd>{count(s.checkpoint.treeSize, 'event')}, root <code>{s.checkpoint.rootHash}</code></dd>
        <dt>Head digest</dt><dd><code>{s.checkpoint.headDigest}</code></dd>
        <dt>Previous export</dt><dd>{s.previous ? <>{count(s.previous.treeSize, 'event')}, root <code>{s.previous.rootHash}</code> (consistency proven)</> : 'none: the first export of this workspace'}</dd>
        <dt>Signed by</dt><dd>{signers.map((k) => <code key={k}>{k}</code>)}</dd>
      </dl>
      <h3>Files</h3>
      <table className="grid">
        <thead><tr><th scope="col">File</th><th scope="col">Size</th><th scope="col">SHA-256 of the content</th><th scope="col">SHA-256 as stored</th></tr></thead>
        <tbody>
          {s.files.map((f) => (
            <tr key={f.path}>
              <td><code>{f.path}</code></td><td>{formatBytes(f.size)}</td>
              <td>{f.sha256 === null ? `each event proven on its own (${count(s.segments, 'segment')})` : <code>{f.sha256}</code>}</td>
              <td>{f.packedSha256 === null ? 'one per segment, in the manifest' : <code>{f.packedSha256}</code>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Contracts({ summary }: { readonly summary: BundleSummary }) {
  const { contract, showContract } = useBundles();
  if (summary.contracts.length === 0) return <p className="hint">This bundle carries no published contract.</p>;
  return (
    <div className="bundle-contracts" data-testid="bundle-contracts">
      <ul className="list">
        {summary.contracts.map((c) => (
          <li key={`${c.name}@${c.version}`}>
            <button type="button" className={contract?.name === c.name && contract.version === c.version ? 'item selected' : 'item'} onClick={() => void showContract(c.name, c.version)}>
              <span className="item-title">{c.name} v{c.version}</span>
              <span className="item-meta mono">{c.hash.slice(0, 16)}…</span>
            </button>
          </li>
        ))}
      </ul>
      {contract ? (
        <pre className="payload" tabIndex={0} aria-label={`${contract.name} v${contract.version} source`}>{contract.source}</pre>
      ) : (
        <p className="hint">Choose a contract version to read it exactly as signed.</p>
      )}
    </div>
  );
}

function Report() {
  const report = useBundles((s) => s.report);
  if (report === null) return <p className="hint">Loading the report…</p>;
  // sandbox="" runs no script and gives the document an opaque origin; the report has its own CSP too.
  return <iframe className="bundle-report" title="Bundle report" sandbox="" srcDoc={report} data-testid="bundle-report" />;
}
