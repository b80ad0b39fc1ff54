/**
 * Step through a bundle's events one by one: ←/→ (or the buttons, or the slider), filters by
 * agent, action, outcome and type; each event's header, payload and whether its inclusion proof
 * verifies against the signed root.
 */
import { useEffect, useId } from 'react';
import { OUTCOMES } from '../../../shared/domain.ts';
import type { ReplayFilter } from '../../state/bundles.ts';
import { useBundles } from '../../state/bundles.ts';
import { shortHash } from './format.ts';

export function Replay() {
  const { page, cursor, detail, goTo } = useBundles();
  const sliderId = useId();
  const total = page?.total ?? 0;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (/^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) || target.getAttribute('role') === 'tab' || target.isContentEditable)) return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const { cursor: at, goTo: move } = useBundles.getState();
      if (event.key === 'ArrowRight') {
        event.preventDefault();
        void move(at + 1);
      } else if (event.key === 'ArrowLeft') {
        event.preventDefault();
        void move(at - 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="replay" data-testid="replay">
      <ReplayFilters />
      {total === 0 ? (
        <p className="hint">No event matches these filters. Loosen one, or clear them.</p>
      ) : (
        <>
          <div className="replay-controls">
            <button type="button" onClick={() => void goTo(cursor - 1)} disabled={cursor <= 0} aria-label="Previous event">← Prev</button>
            <span data-testid="replay-position" aria-live="polite">Event {(cursor + 1).toLocaleString('en-US')} of {total.toLocaleString('en-US')}{detail ? ` (#${detail.event.seq})` : ''}</span>
            <button type="button" onClick={() => void goTo(cursor + 1)} disabled={cursor >= total - 1} aria-label="Next event">Next →</button>
            <label htmlFor={sliderId} className="inline slider">
              <span className="visually-hidden">Position in the replay</span>
              <input id={sliderId} type="range" min={0} max={Math.max(0, total - 1)} value={cursor} onChange={(e) => void goTo(Number(e.target.value))} />
            </label>
            <span className="hint">← / → step</span>
          </div>
          <div className="replay-body">
            <EventList />
            <EventDetail />
          </div>
        </>
      )}
    </div>
  );
}

function ReplayFilters() {
  const { page, filter, setFilter } = useBundles();
  const facets = page?.facets ?? { agents: [], actions: [], types: [] };
  const ids = { agent: useId(), action: useId(), outcome: useId(), type: useId() };
  const change = (key: keyof ReplayFilter, value: string) => {
    const next: { -readonly [K in keyof ReplayFilter]: ReplayFilter[K] } = { ...useBundles.getState().filter };
    if (value === '') delete next[key];
    else (next as Record<string, string>)[key] = value;
    void setFilter(next);
  };
  const select = (id: string, label: string, key: keyof ReplayFilter, values: readonly string[]) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={filter[key] ?? ''} onChange={(e) => change(key, e.target.value)}>
        <option value="">any</option>
        {values.map((v) => <option key={v} value={v}>{v}</option>)}
      </select>
    </div>
  );
  return (
    <div className="filters" role="group" aria-label="Replay filters">
      {select(ids.agent, 'Agent', 'agentId', facets.agents)}
      {select(ids.action, 'Action', 'action', facets.actions)}
      {select(ids.outcome, 'Outcome', 'outcome', OUTCOMES)}
      {select(ids.type, 'Type', 'type', facets.types)}
      {Object.keys(filter).length > 0 && <button type="button" className="ghost" onClick={() => void setFilter({})}>Clear filters</button>}
    </div>
  );
}

function EventList() {
  const { page, cursor, goTo } = useBundles();
  if (!page) return null;
  // Show the rows near the cursor (the loaded window holds up to 100).
  const start = Math.max(page.offset, cursor - 6);
  const rows = page.rows.slice(start - page.offset, start - page.offset + 14);
  return (
    <ol className="replay-list" aria-label="Events near the current one">
      {rows.map((r, i) => {
        const position = start + i;
        return (
          <li key={r.seq}>
            <button type="button" className={position === cursor ? 'replay-row current' : 'replay-row'} aria-current={position === cursor ? 'step' : undefined} onClick={() => void goTo(position)}>
              <span className="c-seq">#{r.seq}</span>
              <span className="c-type">{r.type}</span>
              <span className="c-agent">{r.agentId ?? '—'}</span>
              <span className={`c-outcome ${r.outcome ?? ''}`}>{r.outcome ?? ''}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}

function EventDetail() {
  const detail = useBundles((s) => s.detail);
  if (!detail) return <div className="replay-detail"><p className="hint">Loading the event…</p></div>;
  const { event: e, inclusion } = detail;
  return (
    <article className="replay-detail" aria-label={`Event ${e.seq}`} data-testid="replay-event">
      <h3>Event #{e.seq} · {e.type}</h3>
      <p className={inclusion.verified ? 'included ok' : 'included bad'} data-testid="inclusion">
        {inclusion.verified
          ? `✓ Included in the signed tree: its inclusion proof (${inclusion.proof.length} hashes) verifies against root ${shortHash(inclusion.rootHash, 16)} of ${inclusion.treeSize.toLocaleString('en-US')} events.`
          : `✗ Its inclusion proof does NOT verify against the signed root ${shortHash(inclusion.rootHash, 16)}.`}
      </p>
      <dl className="facts">
        <dt>Time</dt><dd>{e.ts}</dd>
        <dt>Agent</dt><dd>{e.agentId ?? '—'}</dd>
        <dt>Action</dt><dd>{e.action ?? '—'}</dd>
        <dt>Outcome</dt><dd className={`c-outcome ${e.outcome ?? ''}`}>{e.outcome ?? '—'}</dd>
        <dt>Trace</dt><dd>{e.traceId ?? '—'}</dd>
        <dt>Digest</dt><dd className="mono">{e.digest}</dd>
        <dt>Payload hash</dt><dd className="mono">{e.payloadHash}</dd>
        <dt>Payload</dt><dd>{e.payloadState}</dd>
      </dl>
      <pre className="payload" tabIndex={0} aria-label="Payload" data-testid="replay-payload">{JSON.stringify(detail.payload, null, 2)}</pre>
    </article>
  );
}
