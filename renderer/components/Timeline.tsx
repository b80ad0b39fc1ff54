/**
 * The virtual audit timeline: fixed row height, only visible rows in the DOM, pages fetched by
 * position. Past ~15 M px the scroll range is scaled, so a million rows fit the browser's limit.
 */
import { useEffect, useRef, useState } from 'react';
import { rowAt, useAudit } from '../state/audit.ts';

export const ROW_HEIGHT = 28;
const MAX_SCROLL_HEIGHT = 15_000_000;
const OVERSCAN = 10;

export function Timeline() {
  const { total, pages, ensure, select, selected } = useAudit();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const fullHeight = total * ROW_HEIGHT;
  const spacer = Math.min(fullHeight, MAX_SCROLL_HEIGHT);
  const scale = spacer > height ? Math.max(1, (fullHeight - height) / (spacer - height)) : 1;
  const virtualTop = scrollTop * scale;
  const first = Math.max(0, Math.floor(virtualTop / ROW_HEIGHT));
  const offset = virtualTop - first * ROW_HEIGHT;
  const count = Math.ceil(height / ROW_HEIGHT) + 1;
  const last = Math.min(total - 1, first + count);

  useEffect(() => {
    ensure(Math.max(0, first - OVERSCAN), last + OVERSCAN);
  }, [first, last, ensure, pages]);

  const rows = [];
  for (let i = first; i <= last; i++) {
    const row = rowAt(pages, i);
    rows.push(
      <div key={i} role="listitem" className={`trow${i % 2 ? ' alt' : ''}${row && selected?.seq === row.seq ? ' selected' : ''}`} style={{ top: (i - first) * ROW_HEIGHT }}
        onClick={() => row && void select(row.seq)} data-seq={row?.seq}>
        {row ? (
          <>
            <span className="c-seq">#{row.seq}</span>
            <span className="c-ts">{row.ts.replace('T', ' ').replace('Z', '')}</span>
            <span className="c-type">{row.type}</span>
            <span className="c-agent">{row.agentId ?? '—'}</span>
            <span className="c-action">{row.action ?? ''}</span>
            <span className={`c-outcome ${row.outcome ?? ''}`}>{row.outcome ?? ''}</span>
            <span className="c-open"><button type="button" className="link" onClick={(e) => { e.stopPropagation(); void select(row.seq); }} aria-label={`Open event ${row.seq}`}>Details</button></span>
          </>
        ) : (
          <span className="c-loading">Loading…</span>
        )}
      </div>,
    );
  }

  return (
    <div className="timeline" data-testid="timeline">
      <div className="thead" aria-hidden="true">
        <div className="trow head">
          <span className="c-seq">Seq</span>
          <span className="c-ts">Time (UTC)</span>
          <span className="c-type">Type</span>
          <span className="c-agent">Agent</span>
          <span className="c-action">Action</span>
          <span className="c-outcome">Outcome</span>
          <span className="c-open" />
        </div>
      </div>
      <div className="tscroll" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid="timeline-scroll" tabIndex={0} role="region" aria-label={`Audit timeline, ${total} events; scroll to move`}>
        <div className="tspacer" style={{ height: spacer }}>
          <div role="list" aria-label="Audit events" className="twindow" style={{ transform: `translateY(${scrollTop - offset}px)` }}>{rows}</div>
        </div>
      </div>
    </div>
  );
}
