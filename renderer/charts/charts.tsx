/** Small charts drawn as inline SVG: stacked bars over time, a histogram and a rate gauge. */
import type { HistogramBin, TimeBucket } from '../../shared/api/types.ts';

const W = 560;
const H = 200;
const PAD = { left: 40, right: 10, top: 10, bottom: 28 };

export function StackedBars({ buckets, title }: { readonly buckets: readonly TimeBucket[]; readonly title: string }) {
  const W = 1200;
  const max = Math.max(1, ...buckets.map((b) => b.allow + b.deny + b.escalate));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const bw = innerW / Math.max(1, buckets.length);
  const y = (v: number) => (v / max) * innerH;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} className="chart">
      <title>{title}</title>
      <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} className="axis" />
      <text x={PAD.left - 6} y={PAD.top + 8} className="tick" textAnchor="end">{max}</text>
      <text x={PAD.left - 6} y={H - PAD.bottom} className="tick" textAnchor="end">0</text>
      {buckets.map((b, i) => {
        let base = H - PAD.bottom;
        return (
          <g key={b.start}>
            {(['allow', 'deny', 'escalate'] as const).map((k) => {
              const h = y(b[k]);
              base -= h;
              return h > 0 ? <rect key={k} x={PAD.left + i * bw + 1} y={base} width={Math.max(1, bw - 2)} height={h} className={`bar ${k}`}><title>{`${b.start}: ${b[k]} ${k}`}</title></rect> : null;
            })}
          </g>
        );
      })}
      {buckets.length > 0 && (
        <>
          <text x={PAD.left} y={H - 8} className="tick">{buckets[0]!.start.slice(5, 16).replace('T', ' ')}</text>
          <text x={W - PAD.right} y={H - 8} className="tick" textAnchor="end">{buckets.at(-1)!.start.slice(5, 16).replace('T', ' ')}</text>
        </>
      )}
    </svg>
  );
}

export function Histogram({ bins, title }: { readonly bins: readonly HistogramBin[]; readonly title: string }) {
  const max = Math.max(1, ...bins.map((b) => b.count));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const bw = innerW / Math.max(1, bins.length);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} className="chart">
      <title>{title}</title>
      <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} className="axis" />
      <text x={PAD.left - 6} y={PAD.top + 8} className="tick" textAnchor="end">{max}</text>
      {bins.map((b, i) => {
        const h = (b.count / max) * innerH;
        return (
          <g key={b.fromUs}>
            <rect x={PAD.left + i * bw + 2} y={H - PAD.bottom - h} width={Math.max(1, bw - 4)} height={h} className="bar latency"><title>{`${b.fromUs}–${b.toUs ?? '∞'} µs: ${b.count}`}</title></rect>
            <text x={PAD.left + i * bw + bw / 2} y={H - 10} className="tick" textAnchor="middle">{b.toUs === null ? `${b.fromUs}+` : `<${b.toUs}`}</text>
          </g>
        );
      })}
    </svg>
  );
}

export function Gauge({ value, label }: { readonly value: number | null; readonly label: string }) {
  const share = value ?? 0;
  const r = 40;
  const c = 2 * Math.PI * r;
  return (
    <figure className="gauge">
      <svg viewBox="0 0 100 100" role="img" aria-label={`${label}: ${value === null ? 'no data' : `${Math.round(share * 100)}%`}`}>
        <circle cx="50" cy="50" r={r} className="gauge-track" />
        <circle cx="50" cy="50" r={r} className="gauge-value" strokeDasharray={`${share * c} ${c}`} transform="rotate(-90 50 50)" />
        <text x="50" y="56" textAnchor="middle" className="gauge-text">{value === null ? '—' : `${Math.round(share * 100)}%`}</text>
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
