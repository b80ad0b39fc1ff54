/**
 * The Contracts slice: the list, the open document (source, its base version, diagnostics),
 * versions and the diff selection. Components only render this and call its actions.
 */
import { create } from 'zustand';
import type { CatalogAction } from '../../shared/catalog.ts';
import type { ContractSummary, ContractTemplate } from '../../shared/api/types.ts';
import type { ContractVersion } from '../../shared/domain.ts';
import type { Diagnostic } from '../../shared/errors.ts';
import { charter } from '../api.ts';
import { useApp } from './app.ts';

export interface OpenDocument {
  /** null until the contract is first saved. */
  readonly name: string | null;
  /** The version the editor started from; its hash is the saveDraft parent. */
  readonly base: ContractVersion | null;
  readonly source: string;
  readonly dirty: boolean;
}

interface ContractsState {
  readonly list: readonly ContractSummary[];
  readonly loaded: boolean;
  readonly templates: readonly ContractTemplate[];
  readonly catalog: readonly CatalogAction[];
  readonly doc: OpenDocument | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly validating: boolean;
  readonly versions: readonly ContractVersion[];
  /** Versions compared in the diff view: [left, right]. */
  readonly diff: readonly [number, number] | null;
  readonly busy: boolean;
  /** Bumped to ask the editor to move its cursor (jump to a diagnostic). */
  readonly focus: { readonly line: number; readonly column: number; readonly nonce: number } | null;
  refresh(): Promise<void>;
  open(name: string): Promise<void>;
  startFromTemplate(template: ContractTemplate): void;
  edit(source: string): void;
  validate(source: string): Promise<readonly Diagnostic[]>;
  saveDraft(): Promise<void>;
  publish(version: number): Promise<void>;
  activate(version: number): Promise<void>;
  rollback(version: number): Promise<void>;
  showDiff(left: number, right: number): void;
  closeDiff(): void;
  jumpTo(line: number, column: number): void;
}

const api = () => charter();

export const useContracts = create<ContractsState>((set, get) => {
  const guarded = async (work: () => Promise<void>): Promise<void> => {
    set({ busy: true });
    try {
      await work();
    } catch (error) {
      useApp.getState().fail(error);
    } finally {
      set({ busy: false });
    }
  };
  const reloadVersions = async (name: string): Promise<readonly ContractVersion[]> => {
    const versions = await api().contracts.versions({ name });
    set({ versions });
    return versions;
  };

  return {
    list: [],
    loaded: false,
    templates: [],
    catalog: [],
    doc: null,
    diagnostics: [],
    validating: false,
    versions: [],
    diff: null,
    busy: false,
    focus: null,

    refresh: () =>
      guarded(async () => {
        const [list, templates, catalog] = await Promise.all([api().contracts.list({}), api().contracts.templates({}), api().contracts.catalog({})]);
        set({ list, templates, catalog, loaded: true });
      }),

    open: (name) =>
      guarded(async () => {
        const versions = await reloadVersions(name);
        const latest = versions.at(-1) ?? null;
        set({ doc: { name, base: latest, source: latest?.source ?? '', dirty: false }, diagnostics: [], diff: null });
      }),

    startFromTemplate: (template) => set({ doc: { name: null, base: null, source: template.source, dirty: true }, versions: [], diagnostics: [], diff: null }),

    edit: (source) => {
      const doc = get().doc;
      if (doc && doc.source !== source) set({ doc: { ...doc, source, dirty: true } });
    },

    validate: async (source) => {
      set({ validating: true });
      try {
        const report = await api().contracts.validate({ source });
        set({ diagnostics: report.diagnostics });
        return report.diagnostics;
      } catch (error) {
        useApp.getState().fail(error);
        return [];
      } finally {
        set({ validating: false });
      }
    },

    saveDraft: () =>
      guarded(async () => {
        const doc = get().doc;
        if (!doc) return;
        // Every save starts from the head version; the engine refuses it if the head moved.
        const parentHash = doc.base?.hash ?? null;
        const saved = await api().contracts.saveDraft({ source: doc.source, parentHash });
        set({ doc: { name: saved.contract, base: saved, source: get().doc?.source ?? saved.source, dirty: false } });
        await reloadVersions(saved.contract);
        set({ list: await api().contracts.list({}) });
        useApp.getState().say(`Draft saved: ${saved.contract} v${saved.version}.`);
      }),

    publish: (version) =>
      guarded(async () => {
        const name = get().doc?.name;
        if (!name) return;
        const published = await api().contracts.publish({ name, version });
        await afterChange(name, published, `Published ${name} v${version}.`);
      }),

    activate: (version) =>
      guarded(async () => {
        const name = get().doc?.name;
        if (!name) return;
        const active = await api().contracts.activate({ name, version });
        await afterChange(name, active, `${name} v${version} is now active.`);
      }),

    rollback: (version) =>
      guarded(async () => {
        const name = get().doc?.name;
        if (!name) return;
        const active = await api().contracts.rollback({ name, toVersion: version });
        await afterChange(name, active, `Rolled back: ${name} v${active.version} is active again.`);
      }),

    showDiff: (left, right) => set({ diff: [Math.min(left, right), Math.max(left, right)] }),
    closeDiff: () => set({ diff: null }),
    jumpTo: (line, column) => set({ focus: { line, column, nonce: Date.now() } }),
  };

  async function afterChange(name: string, changed: ContractVersion, notice: string): Promise<void> {
    const versions = await reloadVersions(name);
    const doc = get().doc;
    const current = versions.find((v) => v.version === (doc?.base?.version ?? changed.version)) ?? changed;
    if (doc && !doc.dirty) set({ doc: { ...doc, base: current } });
    set({ list: await api().contracts.list({}) });
    useApp.getState().say(notice);
  }
});
