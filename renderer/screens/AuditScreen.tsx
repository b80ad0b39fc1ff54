/** Audit: the virtual timeline, filters, the detail drawer and chain verification. */
import { useEffect, useState } from 'react';
import { OUTCOMES } from '../../shared/domain.ts';
import type { Outcome } from '../../shared/domain.ts';
import type { AuditFilter } from '../../shared/api/types.ts';
import { charter } from '../api.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { Timeline } from '../components/Timeline.tsx';
import { useAudit } from '../state/audit.ts';

export function AuditScreen() {
  const a = useAudit();

  useEffect(() => {
    void useAudit.getState().reload();
    return charter().on('audit.appended', () => {
      if (!useAudit.getState().verify?.running) void useAudit.getState().reload();
    });
  }, []);

  return (
    <div className="audit" data-testid="audit-screen">
      <Filters />
      <div className="toolbar">
        <span data-testid="audit-total">{a.total.toLocaleString('en-US')} event{a.total === 1 ? '' : 's'}</span>
        <span className="spacer" />
        <VerifyControls />
      </div>
      {a.loaded && a.total === 0 ? (
        <EmptyState title={Object.keys(a.filter).length ? 'No events match these filters' : 'The audit trail is empty'}>
          <p>{Object.keys(a.filter).length ? 'Loosen a filter, or clear them all.' : 'Every decision, contract change and approval lands here, chained by hash. Run a simulation to see the first one.'}</p>
        </EmptyState>
      ) : (
        <div className="audit-body">
          <Timeline />
          {a.selected && <Drawer />}
        </div>
      )}
    </div>
  );
}

function Filters() {
  const setFilter = useAudit((s) => s.setFilter);
  const [draft, setDraft] = useState({ agentId: '', action: '', outcome: '', traceId: '', from: '', to: '' });
  const apply = () => {
    const filter: { -readonly [K in keyof AuditFilter]: AuditFilter[K] } = {};
    if (draft.agentId.trim()) filter.agentId = draft.agentId.trim();
    if (draft.action.trim()) filter.action = draft.action.trim();
    if (draft.outcome) filter.outcome = draft.outcome as Outcome;
    if (draft.traceId.trim()) filter.traceId = draft.traceId.trim();
    if (draft.from) filter.fromTs = new Date(draft.from).toISOString();
    if (draft.to) filter.toTs = new Date(draft.to).toISOString();
    void setFilter(filter);
  };
  const field = (key: keyof typeof draft) => ({ value: draft[key], onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setDraft({ ...draft, [key]: e.target.value }) });
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => { e.preventDefault(); apply(); }}>
      <label>Agent<input {...field('agentId')} placeholder="agent id" /></label>
      <label>Action<input {...field('action')} placeholder="e.g. stream_chat" /></label>
      <label>
        Outcome
        <select {...field('outcome')}>
          <option value="">any</option>
          {OUTCOMES.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      </label>
      <label>Trace id<input {...field('traceId')} /></label>
      <label>From<input type="datetime-local" {...field('from')} /></label>
      <label>To<input type="datetime-local" {...field('to')} /></label>
      <button type="submit">Apply filters</button>
      <button type="button" className="ghost" onClick={() => { setDraft({ agentId: '', action: '', outcome: '', traceId: '', from: '', to: '' }); void setFilter({}); }}>Clear</button>
    </form>
  );
}

function VerifyControls() {
  const { verify, startVerify, cancelVerify } = useAudit();
  const share = verify && verify.total > 0 ? Math.min(1, verify.done / verify.total) : 0;
  return (
    <div className="verify" data-testid="verify">
      {verify?.running && (
        <>
          <progress max={1} value={share} aria-label="Chain verification progress" />
          <span>{verify.done.toLocaleString('en-US')} / {verify.total.toLocaleString('en-US')}</span>
          <button type="button" onClick={() => void cancelVerify()}>Cancel</button>
        </>
      )}
      {verify?.report && !verify.running && (
        <span className={verify.report.ok ? 'verified ok' : 'verified bad'} role="status" data-testid="verify-result">
          {verify.report.cancelled
            ? `Cancelled after ${verify.report.eventsChecked.toLocaleString('en-US')} events.`
            : verify.report.ok
              ? `Chain verified: ${verify.report.eventsChecked.toLocaleString('en-US')} events intact (${verify.report.elapsedMs} ms).`
              : `Chain broken at event ${verify.report.firstBad?.seq}: ${verify.report.firstBad?.problem}`}
        </span>
      )}
      {!verify?.running && <button type="button" onClick={() => void startVerify()}>Verify chain</button>}
    </div>
  );
}

function Drawer() {
  const { selected, select } = useAudit();
  if (!selected) return null;
  return (
    <aside className="drawer" aria-label={`Event ${selected.seq}`} data-testid="audit-drawer">
      <div className="toolbar">
        <h2>Event #{selected.seq}</h2>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={() => void select(null)}>Close</button>
      </div>
      <dl className="facts">
        <dt>Type</dt><dd>{selected.type}</dd>
        <dt>Time</dt><dd>{selected.ts}</dd>
        <dt>Agent</dt><dd>{selected.agentId ?? '—'}</dd>
        <dt>Action</dt><dd>{selected.action ?? '—'}</dd>
        <dt>Outcome</dt><dd>{selected.outcome ?? '—'}</dd>
        <dt>Trace</dt><dd>{selected.traceId ?? '—'}</dd>
        <dt>Digest</dt><dd className="mono">{selected.digest}</dd>
        <dt>Previous</dt><dd className="mono">{selected.prevDigest}</dd>
        <dt>Payload</dt><dd>{selected.payloadState}</dd>
      </dl>
      <pre className="payload" tabIndex={0} aria-label="Payload">{JSON.stringify(selected.payload, null, 2)}</pre>
    </aside>
  );
}
