/** Open (auditor): pick a bundle, verify it against this workspace's trusted keys, show the verdict. */
import { useId, useRef } from 'react';
import type { BundleCheck } from '../../../shared/api/types.ts';
import { useBundles } from '../../state/bundles.ts';
import { ErrorBox } from './ErrorBox.tsx';
import { count, formatBytes, shortHash } from './format.ts';

export function OpenPanel() {
  const { transport, opening, openError, check, openFile, cancelOpen } = useBundles();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const share = opening && opening.total > 0 ? Math.min(1, opening.done / opening.total) : 0;
  return (
    <section className="panel bundles-open" aria-labelledby="open-title" data-testid="bundle-open">
      <h2 id="open-title">Open a bundle</h2>
      <p className="hint">Verifies the signature, every file and every event. Trust comes only from this workspace's trusted keys, never from the bundle itself.</p>
      {transport === 'ipc' ? (
        <button type="button" className="primary" disabled={opening !== null} onClick={() => void openFile(null)}>Choose a bundle file…</button>
      ) : (
        <label htmlFor={inputId} className="file-pick">Bundle file (.charter, up to 256 MiB)
          <input
            ref={input}
            id={inputId}
            type="file"
            accept=".charter"
            disabled={opening !== null}
            data-testid="bundle-file"
            onChange={(e) => {
              const file = e.target.files?.[0] ?? null;
              if (file) void openFile(file).finally(() => { if (input.current) input.current.value = ''; });
            }}
          />
        </label>
      )}
      {opening && (
        <div className="bundle-progress" data-testid="open-progress">
          <progress max={1} value={share} aria-label="Verification progress" />
          <span>Verifying {opening.fileName || 'the bundle'}… {opening.total ? `${Math.round(share * 100)} %` : ''}</span>
          <button type="button" onClick={() => void cancelOpen()}>Cancel</button>
        </div>
      )}
      <ErrorBox error={openError} testId="open-error" />
      {check && <Verdict check={check} />}
    </section>
  );
}

function Verdict({ check }: { readonly check: BundleCheck }) {
  if (check.ok) {
    const s = check.summary;
    return (
      <div className="verdict ok" role="status" data-testid="verdict">
        <p className="verdict-head">✓ Verified — signed by <code title={check.signers.join(', ')}>{check.signers.map((k) => shortHash(k, 16)).join(', ')}</code> (trusted), {count(s.events, 'event')}, root <code title={s.checkpoint.rootHash}>{shortHash(s.checkpoint.rootHash, 16)}</code></p>
        <p>{check.fileName} · {formatBytes(check.bytes)} · workspace “{s.workspace.name}” · {periodText(s.period)}</p>
        {check.untrustedSigners.length > 0 && <p>Also signed by keys this workspace does not trust (ignored): {check.untrustedSigners.map((k) => shortHash(k, 16)).join(', ')}</p>}
      </div>
    );
  }
  const f = check.failure;
  return (
    <div className="verdict bad" role="alert" data-testid="verdict">
      <p className="verdict-head">✗ Refused — {f.title}</p>
      <p>{f.message}</p>
      <dl className="facts">
        <dt>Bundle</dt><dd>{check.fileName} ({formatBytes(check.bytes)})</dd>
        {f.file !== null && <><dt>File</dt><dd><code>{f.file}</code></dd></>}
        {f.seq !== null && <><dt>Event</dt><dd>#{f.seq}</dd></>}
        {f.kid !== null && <><dt>Key</dt><dd><code>{f.kid}</code></dd></>}
      </dl>
      <p><strong>What to do:</strong> {check.advice}</p>
    </div>
  );
}

/** The period as days, `to` being exclusive: the last day shown is the one before it. */
export function periodText(period: { readonly from: string | null; readonly to: string | null }): string {
  const from = period.from ? new Date(period.from).toLocaleDateString() : 'the start of the trail';
  const to = period.to ? new Date(Date.parse(period.to) - 1).toLocaleDateString() : 'the export';
  return `${from} – ${to}`;
}
