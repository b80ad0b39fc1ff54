/**
 * The Bundles slice: the signing key's status, one export at a time (progress, rate, cancel,
 * result) and one opened bundle (verdict, then a read-only replay over its events: a window of
 * rows around a cursor in the filtered list, and the event under the cursor with its payload and
 * inclusion proof). Over the bridge a bundle is uploaded as bytes; under Electron the main
 * process shows its own file dialogs.
 */
import { create } from 'zustand';
import type { Envelope } from '../../shared/api.ts';
import { unwrap } from '../../shared/api.ts';
import type {
  AppInfo, BundleCheck, BundleEventDetail, BundleEventRow, BundleEventsPage, BundleExportResult, BundleOpenResult, KeyStatus,
} from '../../shared/api/types.ts';
import { CharterError } from '../../shared/errors.ts';
import { charter } from '../api.ts';
import type { ShownError } from '../errors.ts';
import { showError } from '../errors.ts';

export const WINDOW = 100;

export interface Progress {
  readonly operationId: string;
  readonly done: number;
  readonly total: number;
  readonly startedAt: number;
  /** Items per second, smoothed; events for an export, bytes for a verification. */
  readonly rate: number;
}

export interface ReplayFilter {
  readonly agentId?: string;
  readonly action?: string;
  readonly outcome?: 'allow' | 'deny' | 'escalate';
  readonly type?: string;
}

export type BrowseTab = 'replay' | 'manifest' | 'contracts' | 'report';

interface BundlesState {
  readonly transport: AppInfo['transport'] | null;
  readonly keys: KeyStatus | null;
  readonly keyError: ShownError | null;
  readonly creatingKey: boolean;

  readonly exporting: Progress | null;
  readonly exported: BundleExportResult | null;
  readonly exportError: ShownError | null;

  readonly opening: (Progress & { readonly fileName: string }) | null;
  readonly check: BundleCheck | null;
  readonly openError: ShownError | null;

  readonly tab: BrowseTab;
  readonly filter: ReplayFilter;
  readonly page: BundleEventsPage | null;
  readonly cursor: number;
  readonly detail: BundleEventDetail | null;
  readonly report: string | null;
  readonly contract: { readonly name: string; readonly version: number; readonly source: string } | null;

  load(): Promise<void>;
  createKey(passphrase: string | undefined): Promise<boolean>;
  startExport(period: { from?: string; to?: string }, passphrase: string | undefined): Promise<void>;
  cancelExport(): Promise<void>;
  openExported(): Promise<void>;
  openFile(file: File | null): Promise<void>;
  cancelOpen(): Promise<void>;
  closeBundle(): Promise<void>;
  setTab(tab: BrowseTab): void;
  setFilter(filter: ReplayFilter): Promise<void>;
  goTo(position: number): Promise<void>;
  showContract(name: string, version: number): Promise<void>;
}

const newOperationId = (kind: string): string => `${kind}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Tracks `progress` events for one operation into the store, with a smoothed rate. */
function follow(operationId: string, update: (p: Progress) => void, current: () => Progress | null): () => void {
  return charter().on('progress', (p) => {
    const now = current();
    if (!now || p.operationId !== operationId) return;
    const seconds = Math.max(0.001, (performance.now() - now.startedAt) / 1000);
    update({ ...now, done: p.done, total: p.total, rate: p.done / seconds });
  });
}

/** Over the bridge: the bundle's bytes as the body of POST /api/bundles.open (up to 256 MiB). */
async function uploadBundle(file: File, operationId: string): Promise<BundleOpenResult> {
  const query = new URLSearchParams({ operationId, fileName: file.name });
  let response: Response;
  try {
    response = await window.fetch(`/api/bundles.open?${query.toString()}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    throw new CharterError('store_unavailable', 'Charter web is not reachable. Is `charter web` still running? Restart it and reload this page.');
  }
  if (response.status === 413) {
    throw new CharterError('too_large', `${file.name} is over 256 MiB, the most Charter web accepts. Verify it with "charter bundle verify" instead.`);
  }
  let envelope: Envelope<BundleOpenResult>;
  try {
    envelope = (await response.json()) as Envelope<BundleOpenResult>;
  } catch {
    throw new CharterError('internal', `Charter web answered ${response.status} without a readable body.`);
  }
  return unwrap(envelope);
}

const fresh = {
  tab: 'replay' as BrowseTab, filter: {}, page: null, cursor: 0, detail: null, report: null, contract: null,
};

export const useBundles = create<BundlesState>((set, get) => {
  /** Loads the window of rows that holds `position`, then the event there. */
  const show = async (position: number): Promise<void> => {
    const check = get().check;
    if (!check?.ok) return;
    const total = get().page?.total ?? 0;
    const at = Math.max(0, Math.min(position, Math.max(0, total - 1)));
    let page = get().page;
    const filter = get().filter;
    if (!page || at < page.offset || at >= page.offset + page.rows.length) {
      const offset = Math.floor(at / WINDOW) * WINDOW;
      page = await charter().bundles.browse({ handle: check.handle, offset, limit: WINDOW, ...filter });
      if (get().filter !== filter) return;
    }
    const row: BundleEventRow | undefined = page.rows[at - page.offset];
    set({ page, cursor: at });
    const detail = row ? await charter().bundles.event({ handle: check.handle, seq: row.seq }) : null;
    if (get().cursor === at && get().filter === filter) set({ detail });
  };

  const afterOpen = async (result: BundleOpenResult): Promise<void> => {
    set({ opening: null, check: result.check, ...fresh });
    if (result.check?.ok) {
      const page = await charter().bundles.browse({ handle: result.check.handle, offset: 0, limit: WINDOW });
      set({ page });
      await show(0);
    }
  };

  return {
    transport: null,
    keys: null,
    keyError: null,
    creatingKey: false,
    exporting: null,
    exported: null,
    exportError: null,
    opening: null,
    check: null,
    openError: null,
    ...fresh,

    load: async () => {
      try {
        const [info, keys] = await Promise.all([charter().app.info({}), charter().keys.status({})]);
        set({ transport: info.transport, keys });
      } catch (error) {
        set({ keyError: showError(error) });
      }
    },

    createKey: async (passphrase) => {
      set({ creatingKey: true, keyError: null });
      try {
        await charter().keys.create(passphrase === undefined ? {} : { passphrase });
        set({ keys: await charter().keys.status({}), creatingKey: false });
        return true;
      } catch (error) {
        set({ keyError: showError(error), creatingKey: false });
        return false;
      }
    },

    startExport: async (period, passphrase) => {
      const operationId = newOperationId('export');
      set({ exporting: { operationId, done: 0, total: 0, startedAt: performance.now(), rate: 0 }, exported: null, exportError: null });
      const off = follow(operationId, (exporting) => set({ exporting }), () => get().exporting);
      try {
        const result = await charter().bundles.export({ ...period, ...(passphrase ? { passphrase } : {}), operationId });
        set({ exporting: null, exported: result.cancelled ? null : result, exportError: result.cancelled ? showError(new CharterError('cancelled', 'The export was cancelled; no file was kept.')) : null });
      } catch (error) {
        set({ exporting: null, exportError: showError(error) });
      } finally {
        off();
      }
    },

    cancelExport: async () => {
      const running = get().exporting;
      if (running) await charter().bundles.cancel({ operationId: running.operationId }).catch(() => false);
    },

    openExported: async () => {
      const exported = get().exported;
      if (!exported?.exportId) return;
      await open(exported.fileName, (operationId) => charter().bundles.open({ operationId, exportId: exported.exportId as string }));
    },

    openFile: async (file) => {
      if (get().transport === 'ipc' || file === null) {
        await open('', (operationId) => charter().bundles.open({ operationId }));
      } else {
        await open(file.name, (operationId) => uploadBundle(file, operationId));
      }
    },

    cancelOpen: async () => {
      const running = get().opening;
      if (running) await charter().bundles.cancel({ operationId: running.operationId }).catch(() => false);
    },

    closeBundle: async () => {
      const check = get().check;
      set({ check: null, ...fresh });
      if (check?.ok) await charter().bundles.close({ handle: check.handle }).catch(() => false);
    },

    setTab: (tab) => {
      set({ tab });
      const check = get().check;
      if (tab === 'report' && check?.ok && get().report === null) {
        charter().bundles.report({ handle: check.handle }).then((report) => set({ report }), (error: unknown) => set({ openError: showError(error) }));
      }
    },

    setFilter: async (filter) => {
      const check = get().check;
      if (!check?.ok) return;
      // The filter applies at once, so a second change made before this one answers builds on it.
      set({ filter, detail: null });
      try {
        const page = await charter().bundles.browse({ handle: check.handle, offset: 0, limit: WINDOW, ...filter });
        if (get().filter !== filter) return;
        set({ page, cursor: 0 });
        if (page.total > 0) await show(0);
      } catch (error) {
        set({ openError: showError(error) });
      }
    },

    goTo: async (position) => {
      try {
        await show(position);
      } catch (error) {
        set({ openError: showError(error) });
      }
    },

    showContract: async (name, version) => {
      const check = get().check;
      if (!check?.ok) return;
      try {
        set({ contract: { name, version, source: await charter().bundles.contract({ handle: check.handle, name, version }) } });
      } catch (error) {
        set({ openError: showError(error) });
      }
    },
  };

  async function open(fileName: string, run: (operationId: string) => Promise<BundleOpenResult>): Promise<void> {
    const previous = get().check;
    const operationId = newOperationId('open');
    set({ opening: { operationId, done: 0, total: 0, startedAt: performance.now(), rate: 0, fileName }, openError: null });
    const off = follow(operationId, (p) => set({ opening: { ...p, fileName } }), () => get().opening);
    try {
      const result = await run(operationId);
      if (result.cancelled) {
        set({ opening: null });
        return;
      }
      if (previous?.ok) void charter().bundles.close({ handle: previous.handle }).catch(() => false);
      await afterOpen(result);
    } catch (error) {
      set({ opening: null, openError: showError(error) });
    } finally {
      off();
    }
  }
});
