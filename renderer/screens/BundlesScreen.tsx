/** Bundles: export a signed compliance bundle, and open one as an auditor to verify and replay it. */
import { useEffect } from 'react';
import { charter } from '../api.ts';
import { useBundles } from '../state/bundles.ts';
import { BrowsePanel } from './bundles/BrowsePanel.tsx';
import { ExportPanel } from './bundles/ExportPanel.tsx';
import { OpenPanel } from './bundles/OpenPanel.tsx';
import './bundles/bundles.css';

export function BundlesScreen() {
  const loaded = useBundles((s) => s.keys !== null && s.transport !== null);
  const verified = useBundles((s) => s.check?.ok === true);

  useEffect(() => {
    void useBundles.getState().load();
    // A key made elsewhere (the CLI) shows up after any audited change.
    return charter().on('audit.appended', (e) => {
      if (e.rows.some((r) => r.type === 'key.created' || r.type === 'key.rotated')) void useBundles.getState().load();
    });
  }, []);

  return (
    <div className="bundles" data-testid="bundles-screen" data-ready={loaded ? 'true' : 'false'}>
      <div className="bundles-halves">
        <ExportPanel />
        <OpenPanel />
      </div>
      {verified && <BrowsePanel />}
    </div>
  );
}
