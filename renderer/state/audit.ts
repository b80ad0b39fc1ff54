/**
 * The Audit slice: a virtual timeline over the whole trail. Only the pages around the visible
 * window are held (fixed row height, pages of PAGE_SIZE rows fetched by position), so memory
 * stays flat whether the trail holds a hundred events or a million.
 */
import { create } from 'zustand';
import type { AuditEvent } from '../../shared/audit.ts';
import type { AuditFilter, AuditRow, ChainReport } from '../../shared/api/types.ts';
import { charter } from '../api.ts';
import { useApp } from './app.ts';

export const PAGE_SIZE = 100;
/** Pages kept around the visible window; everything else is dropped. */
const KEEP_PAGES = 6;

export interface VerifyState {
  readonly operationId: string;
  readonly done: number;
  readonly total: number;
  readonly running: boolean;
  readonly report: ChainReport | null;
}

interface AuditState {
  readonly filter: AuditFilter;
  readonly total: number;
  readonly loaded: boolean;
  readonly pages: ReadonlyMap<number, readonly AuditRow[]>;
  readonly generation: number;
  readonly selected: AuditEvent | null;
  readonly verify: VerifyState | null;
  setFilter(filter: AuditFilter): Promise<void>;
  reload(): Promise<void>;
  ensure(firstRow: number, lastRow: number): void;
  select(seq: number | null): Promise<void>;
  startVerify(): Promise<void>;
  cancelVerify(): Promise<void>;
}

const pending = new Set<string>();

export const useAudit = create<AuditState>((set, get) => ({
  filter: {},
  total: 0,
  loaded: false,
  pages: new Map(),
  generation: 0,
  selected: null,
  verify: null,

  setFilter: async (filter) => {
    set({ filter });
    await get().reload();
  },

  reload: async () => {
    const generation = get().generation + 1;
    set({ generation, pages: new Map() });
    pending.clear();
    try {
      const first = await charter().audit.window({ ...get().filter, offset: 0, limit: PAGE_SIZE });
      if (get().generation !== generation) return;
      set({ total: first.total, loaded: true, pages: new Map([[0, first.rows]]) });
    } catch (error) {
      useApp.getState().fail(error);
    }
  },

  ensure: (firstRow, lastRow) => {
    const { pages, generation, filter, total } = get();
    const firstPage = Math.floor(firstRow / PAGE_SIZE);
    const lastPage = Math.floor(Math.min(lastRow, Math.max(0, total - 1)) / PAGE_SIZE);
    for (let page = firstPage; page <= lastPage; page++) {
      const key = `${generation}:${page}`;
      if (pages.has(page) || pending.has(key)) continue;
      pending.add(key);
      charter()
        .audit.window({ ...filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
        .then((window) => {
          pending.delete(key);
          if (get().generation !== generation) return;
          const next = new Map(get().pages);
          next.set(page, window.rows);
          // Drop pages far from what is on screen.
          for (const p of next.keys()) if (p < firstPage - KEEP_PAGES / 2 || p > lastPage + KEEP_PAGES / 2) next.delete(p);
          set({ pages: next, total: window.total });
        })
        .catch((error: unknown) => {
          pending.delete(key);
          useApp.getState().fail(error);
        });
    }
  },

  select: async (seq) => {
    if (seq === null) {
      set({ selected: null });
      return;
    }
    try {
      set({ selected: await charter().audit.get({ seq }) });
    } catch (error) {
      useApp.getState().fail(error);
    }
  },

  startVerify: async () => {
    const operationId = `verify-${Date.now().toString(36)}`;
    set({ verify: { operationId, done: 0, total: get().total, running: true, report: null } });
    const off = charter().on('progress', (p) => {
      const v = get().verify;
      if (v && p.operationId === v.operationId) set({ verify: { ...v, done: p.done, total: p.total } });
    });
    try {
      const report = await charter().audit.verify({ operationId });
      const v = get().verify;
      set({ verify: { operationId, done: report.eventsChecked, total: v?.total ?? report.eventsChecked, running: false, report } });
    } catch (error) {
      set({ verify: null });
      useApp.getState().fail(error);
    } finally {
      off();
    }
  },

  cancelVerify: async () => {
    const v = get().verify;
    if (!v?.running) return;
    try {
      await charter().audit.cancel({ operationId: v.operationId });
    } catch (error) {
      useApp.getState().fail(error);
    }
  },
}));

export function rowAt(pages: ReadonlyMap<number, readonly AuditRow[]>, index: number): AuditRow | undefined {
  return pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
}
