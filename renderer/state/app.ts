/** App-wide state: the current screen, theme, workspace settings (bypass banner) and notices. */
import { create } from 'zustand';
import type { WorkspaceSettings } from '../../shared/api/types.ts';
import { charter } from '../api.ts';
import type { ShownError } from '../errors.ts';
import { showError } from '../errors.ts';

export const SCREENS = ['contracts', 'simulate', 'tests', 'audit', 'dashboard', 'bundles'] as const;
export type Screen = (typeof SCREENS)[number];
export type Theme = 'light' | 'dark';

function initialScreen(): Screen {
  const hash = window.location.hash.replace('#/', '') as Screen;
  return SCREENS.includes(hash) ? hash : 'contracts';
}

function initialTheme(): Theme {
  const saved = window.localStorage.getItem('charter.theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

interface AppState {
  readonly screen: Screen;
  readonly theme: Theme;
  readonly settings: WorkspaceSettings | null;
  readonly error: ShownError | null;
  readonly notice: string | null;
  readonly paletteOpen: boolean;
  go(screen: Screen): void;
  toggleTheme(): void;
  loadSettings(): Promise<void>;
  setBypass(on: boolean): Promise<void>;
  fail(error: unknown): void;
  say(notice: string): void;
  dismiss(): void;
  setPalette(open: boolean): void;
}

export const useApp = create<AppState>((set, get) => ({
  screen: initialScreen(),
  theme: initialTheme(),
  settings: null,
  error: null,
  notice: null,
  paletteOpen: false,
  go: (screen) => {
    window.history.replaceState(null, '', `#/${screen}`);
    set({ screen, paletteOpen: false });
  },
  toggleTheme: () => {
    const theme = get().theme === 'dark' ? 'light' : 'dark';
    window.localStorage.setItem('charter.theme', theme);
    set({ theme });
  },
  loadSettings: async () => {
    try {
      set({ settings: await charter().settings.get({}) });
    } catch (error) {
      get().fail(error);
    }
  },
  setBypass: async (on) => {
    try {
      set({ settings: await charter().settings.update({ emergencyBypass: on }) });
    } catch (error) {
      get().fail(error);
    }
  },
  fail: (error) => set({ error: showError(error), notice: null }),
  say: (notice) => set({ notice, error: null }),
  dismiss: () => set({ error: null, notice: null }),
  setPalette: (paletteOpen) => set({ paletteOpen }),
}));
