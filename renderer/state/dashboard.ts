/** The Dashboard slice: metrics computed by the engine from the audit trail, plus cache stats. */
import { create } from 'zustand';
import type { CacheStats, DashboardMetrics } from '../../shared/api/types.ts';
import { charter } from '../api.ts';
import { useApp } from './app.ts';

interface DashboardState {
  readonly metrics: DashboardMetrics | null;
  readonly cache: CacheStats | null;
  readonly loading: boolean;
  load(): Promise<void>;
}

export const useDashboard = create<DashboardState>((set) => ({
  metrics: null,
  cache: null,
  loading: false,
  load: async () => {
    set({ loading: true });
    try {
      const [metrics, cache] = await Promise.all([charter().dashboard.metrics({ buckets: 24 }), charter().governance.cacheStats({})]);
      set({ metrics, cache });
    } catch (error) {
      useApp.getState().fail(error);
    } finally {
      set({ loading: false });
    }
  },
}));
