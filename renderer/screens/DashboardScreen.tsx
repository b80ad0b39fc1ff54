/** Dashboard: what the audit trail says about decisions, latency, the cache and block rates. */
import { useEffect } from 'react';
import { charter } from '../api.ts';
import { Gauge, Histogram, StackedBars } from '../charts/charts.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { useDashboard } from '../state/dashboard.ts';

export function DashboardScreen() {
  const { metrics, cache, load } = useDashboard();
  useEffect(() => {
    void load();
    return charter().on('audit.appended', () => void load());
  }, [load]);

  if (metrics && metrics.decisions === 0) {
    return (
      <EmptyState title="No decisions recorded yet">
        <p>The dashboard reads the audit trail. Simulate a few requests (with "record" on) or run agents through the CLI, and the charts fill in.</p>
      </EmptyState>
    );
  }
  return (
    <div className="dashboard" data-testid="dashboard-screen">
      {metrics && (
        <>
          <section className="panel wide" aria-label="Decisions over time">
            <h2>Decisions over time</h2>
            <p className="legend"><span className="key allow" /> allow <span className="key deny" /> deny <span className="key escalate" /> escalate · {metrics.decisions} decisions</p>
            <StackedBars buckets={metrics.overTime} title="Decisions over time by outcome" />
          </section>
          <section className="panel" aria-label="Latency">
            <h2>Decision latency</h2>
            <p className="legend">p50 {metrics.latencyP50Us ?? '—'} µs · p95 {metrics.latencyP95Us ?? '—'} µs</p>
            <Histogram bins={metrics.latency} title="Decision latency histogram in microseconds" />
          </section>
          <section className="panel gauges" aria-label="Rates">
            <h2>Rates</h2>
            <div className="row">
              <Gauge value={metrics.cacheHitRate} label="Cache hit rate (trail)" />
              <Gauge value={metrics.blockRate} label="Block rate" />
              <Gauge value={metrics.escalateRate} label="Escalate rate" />
            </div>
            {cache && <p className="legend">Live cache: {cache.size}/{cache.capacity} entries, {cache.hits} hits, {cache.misses} misses, TTL {cache.ttlMs / 1000} s.</p>}
          </section>
        </>
      )}
    </div>
  );
}
