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
      <div key={i} role="row" className={`trow${row && selected?.seq === row.seq ? ' selected' : ''}`} style={{ top: (i - first) * ROW_HEIGHT }} aria-rowindex={i + 1}
        onClick={() => row && void select(row.seq)} data-seq={row?.seq}>
        {row ? (
          <>
            <span role="cell" className="c-seq">#{row.seq}</span>
            <span role="cell" className="c-ts">{row.ts.replace('T', ' ').replace('Z', '')}</span>
            <span role="cell" className="c-type">{row.type}</span>
            <span role="cell" className="c-agent">{row.agentId ?? '—'}</span>
            <span role="cell" className="c-action">{row.action ?? ''}</span>
            <span role="cell" className={`c-outcome ${row.outcome ?? ''}`}>{row.outcome ?? ''}</span>
            <span role="cell" className="c-open"><button type="button" className="link" onClick={(e) => { e.stopPropagation(); void select(row.seq); }} aria-label={`Open event ${row.seq}`}>Details</button></span>
          </>
        ) : (
          <span role="cell" className="c-loading">Loading…</span>
        )}
      </div>,
    );
  }

  return (
    <div className="timeline" role="table" aria-label="Audit timeline" aria-rowcount={total} data-testid="timeline">
      <div role="rowgroup" className="thead">
        <div role="row" className="trow head">
          <span role="columnheader" className="c-seq">Seq</span>
          <span role="columnheader" className="c-ts">Time (UTC)</span>
          <span role="columnheader" className="c-type">Type</span>
          <span role="columnheader" className="c-agent">Agent</span>
          <span role="columnheader" className="c-action">Action</span>
          <span role="columnheader" className="c-outcome">Outcome</span>
          <span role="columnheader" className="c-open"><span className="visually-hidden">Open</span></span>
        </div>
      </div>
      <div className="tscroll" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid="timeline-scroll" tabIndex={0} aria-label="Timeline rows, scroll to move">
        <div className="tspacer" style={{ height: spacer }}>
          <div role="rowgroup" className="twindow" style={{ transform: `translateY(${scrollTop - offset}px)` }}>{rows}</div>
        </div>
      </div>
    </div>
  );
}
