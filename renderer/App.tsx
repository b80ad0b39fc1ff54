/** The shell: navigation, the bypass banner, notices, theme and keyboard shortcuts. */
import { useEffect } from 'react';
import { charter } from './api.ts';
import { CommandPalette } from './components/CommandPalette.tsx';
import { Notices } from './components/Notices.tsx';
import { AuditScreen } from './screens/AuditScreen.tsx';
import { BundlesScreen } from './screens/BundlesScreen.tsx';
import { ContractsScreen } from './screens/ContractsScreen.tsx';
import { DashboardScreen } from './screens/DashboardScreen.tsx';
import { SimulateScreen } from './screens/SimulateScreen.tsx';
import { TestsScreen } from './screens/TestsScreen.tsx';
import type { Screen } from './state/app.ts';
import { SCREENS, useApp } from './state/app.ts';

const TITLES: Readonly<Record<Screen, string>> = {
  contracts: 'Contracts',
  simulate: 'Simulate',
  tests: 'Tests',
  audit: 'Audit',
  dashboard: 'Dashboard',
  bundles: 'Bundles',
};

export function App() {
  const { screen, theme, settings, go, toggleTheme, loadSettings, setPalette } = useApp();

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    void loadSettings();
    // Settings (the bypass flag) can change from anywhere; every audited change re-reads them.
    return charter().on('audit.appended', () => void loadSettings());
  }, [loadSettings]);

  useEffect(() => {
    // Deep links (#/audit) work for back/forward and typed addresses too.
    const onHash = () => {
      const target = window.location.hash.replace('#/', '') as Screen;
      if (SCREENS.includes(target) && target !== useApp.getState().screen) go(target);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [go]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setPalette(true);
      }
      if (event.altKey && /^[1-6]$/.test(event.key)) {
        event.preventDefault();
        go(SCREENS[Number(event.key) - 1] as Screen);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, setPalette]);

  return (
    <div className="app">
      {settings?.emergencyBypass && (
        <div className="bypass-banner" role="alert" data-testid="bypass-banner">
          Emergency bypass is ON: every request is allowed without checks, and each one is audited as a bypass.
          <button type="button" onClick={() => void useApp.getState().setBypass(false)}>Turn bypass off</button>
        </div>
      )}
      <header className="topbar">
        <span className="brand">Charter</span>
        <nav aria-label="Screens">
          {SCREENS.map((s, i) => (
            <button key={s} type="button" className={s === screen ? 'nav active' : 'nav'} aria-current={s === screen ? 'page' : undefined} onClick={() => go(s)} title={`Alt+${i + 1}`}>
              {TITLES[s]}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={() => setPalette(true)} title="Ctrl+K">Commands</button>
        <button type="button" className="ghost" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? 'Light' : 'Dark'} theme
        </button>
      </header>
      <Notices />
      <main className="screen" data-screen={screen}>
        <h1 className="visually-hidden">{TITLES[screen]}</h1>
        {screen === 'contracts' && <ContractsScreen />}
        {screen === 'simulate' && <SimulateScreen />}
        {screen === 'tests' && <TestsScreen />}
        {screen === 'audit' && <AuditScreen />}
        {screen === 'dashboard' && <DashboardScreen />}
        {screen === 'bundles' && <BundlesScreen />}
      </main>
      <CommandPalette />
    </div>
  );
}
