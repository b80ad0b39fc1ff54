/** The Tests slice: a contract's suite source, running it, and the results with coverage. */
import { create } from 'zustand';
import type { TestRunReport } from '../../shared/api/types.ts';
import { charter } from '../api.ts';
import { useApp } from './app.ts';
import { newSuite } from './suite-yaml.ts';

interface TestsState {
  readonly contract: string;
  readonly source: string;
  readonly stored: boolean;
  readonly report: TestRunReport | null;
  readonly running: boolean;
  readonly focus: { readonly line: number; readonly nonce: number } | null;
  choose(contract: string): Promise<void>;
  edit(source: string): void;
  save(): Promise<void>;
  run(): Promise<void>;
  jumpTo(line: number): void;
}

export const useTests = create<TestsState>((set, get) => ({
  contract: '',
  source: '',
  stored: false,
  report: null,
  running: false,
  focus: null,

  choose: async (contract) => {
    set({ contract, report: null });
    if (!contract) return;
    try {
      const suite = await charter().tests.getSuite({ contract });
      set({ source: suite.source ?? newSuite(contract), stored: suite.source !== null });
    } catch (error) {
      useApp.getState().fail(error);
    }
  },

  edit: (source) => set({ source }),

  save: async () => {
    const { contract, source } = get();
    if (!contract) return;
    try {
      await charter().tests.saveSuite({ contract, source });
      set({ stored: true });
      useApp.getState().say('Suite saved.');
    } catch (error) {
      useApp.getState().fail(error);
    }
  },

  run: async () => {
    const { contract, source } = get();
    if (!contract) return;
    set({ running: true });
    try {
      const report = await charter().tests.run({ contract, source });
      set({ report });
    } catch (error) {
      useApp.getState().fail(error);
    } finally {
      set({ running: false });
    }
  },

  jumpTo: (line) => set({ focus: { line, nonce: Date.now() } }),
}));
