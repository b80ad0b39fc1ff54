/** Ctrl+K: jump to a screen or run a main action by typing its name. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApp } from '../state/app.ts';
import type { Screen } from '../state/app.ts';

interface Command {
  readonly label: string;
  readonly run: () => void;
}

export function CommandPalette() {
  const { paletteOpen, setPalette, go, toggleTheme } = useApp();
  const [query, setQuery] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const commands = useMemo<Command[]>(() => [
    ...(['contracts', 'simulate', 'tests', 'audit', 'dashboard', 'bundles'] as Screen[]).map((s) => ({ label: `Go to ${s}`, run: () => go(s) })),
    { label: 'Toggle theme', run: toggleTheme },
  ], [go, toggleTheme]);
  useEffect(() => {
    if (paletteOpen) {
      setQuery('');
      input.current?.focus();
    }
  }, [paletteOpen]);
  if (!paletteOpen) return null;
  const matches = commands.filter((c) => c.label.toLowerCase().includes(query.toLowerCase()));
  const close = () => setPalette(false);
  return (
    <div className="palette-backdrop" onClick={close}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette" onClick={(e) => e.stopPropagation()}>
        <input
          ref={input}
          aria-label="Type a command"
          placeholder="Type a command…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
            if (e.key === 'Enter' && matches[0]) {
              matches[0].run();
              close();
            }
          }}
        />
        <ul>
          {matches.map((c) => (
            <li key={c.label}>
              <button type="button" className="ghost" onClick={() => { c.run(); close(); }}>{c.label}</button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
