/** Export: key status (create one when there is none), period, progress with cancel, the result. */
import { useId, useState } from 'react';
import { useBundles } from '../../state/bundles.ts';
import { count, dateInput, formatBytes, isoFromDateInput, shortHash } from './format.ts';
import { ErrorBox } from './ErrorBox.tsx';

export function ExportPanel() {
  const keys = useBundles((s) => s.keys);
  return (
    <section className="panel bundles-export" aria-labelledby="export-title" data-testid="bundle-export">
      <h2 id="export-title">Export a signed bundle</h2>
      <p className="hint">One file an auditor can check offline: the contracts, every audit event of the period, the decisions and a report, signed with this workspace's key.</p>
      {keys === null ? <p className="hint">Reading the signing key…</p> : keys.hasKey ? <ExportForm /> : <CreateKey />}
    </section>
  );
}

function CreateKey() {
  const { keys, keyError, creatingKey, createKey } = useBundles();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const ids = { pass: useId(), again: useId() };
  const mismatch = keys?.needsPassphrase && again.length > 0 && again !== passphrase;
  return (
    <div className="bundle-empty" data-testid="no-key">
      <h3>No signing key yet: create one to export</h3>
      <p>Every bundle is signed with an Ed25519 key made for this workspace. Auditors check the signature against your public key.</p>
      {keys?.keychainProblem && <p className="hint" data-testid="keychain-note">{keys.keychainProblem}</p>}
      <form onSubmit={(e) => { e.preventDefault(); if (!mismatch) void createKey(keys?.needsPassphrase ? passphrase : undefined).then((ok) => ok && (setPassphrase(''), setAgain(''))); }}>
        {keys?.needsPassphrase && (
          <div className="row">
            <label htmlFor={ids.pass}>Passphrase (at least 8 characters)
              <input id={ids.pass} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
            </label>
            <label htmlFor={ids.again}>Type it again
              <input id={ids.again} type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} aria-invalid={mismatch || undefined} />
            </label>
          </div>
        )}
        {mismatch && <p className="field-error">The two passphrases differ.</p>}
        <button type="submit" className="primary" disabled={creatingKey || Boolean(keys?.needsPassphrase && (passphrase.length === 0 || again !== passphrase))}>
          {creatingKey ? 'Creating…' : 'Create signing key'}
        </button>
      </form>
      <ErrorBox error={keyError} testId="key-error" />
    </div>
  );
}

function ExportForm() {
  const { keys, exporting, exported, exportError, startExport, cancelExport, openExported, opening } = useBundles();
  const today = new Date();
  const [from, setFrom] = useState(dateInput(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 30)));
  const [to, setTo] = useState(dateInput(today));
  const [passphrase, setPassphrase] = useState('');
  const ids = { from: useId(), to: useId(), pass: useId() };
  const needsPassphrase = keys?.needsPassphrase ?? false;
  const badPeriod = from !== '' && to !== '' && from > to;
  const submit = () => {
    if (badPeriod) return;
    void startExport(
      { ...(from ? { from: isoFromDateInput(from) } : {}), ...(to ? { to: isoFromDateInput(to, 1) } : {}) },
      needsPassphrase ? passphrase : undefined,
    );
  };
  const share = exporting && exporting.total > 0 ? Math.min(1, exporting.done / exporting.total) : 0;
  return (
    <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <p className="key-line" data-testid="key-status">
        Signed by key <code title={keys?.kid ?? ''}>{shortHash(keys?.kid ?? '', 16)}</code>
        {' '}— sealed {keys?.keyBox === 'passphrase' ? 'with your passphrase' : 'in the system keychain'}.
      </p>
      <fieldset>
        <legend>Period</legend>
        <div className="row">
          <label htmlFor={ids.from}>From (first day)
            <input id={ids.from} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label htmlFor={ids.to}>To (last day, included)
            <input id={ids.to} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
        </div>
        {badPeriod && <p className="field-error">The first day is after the last day.</p>}
        <p className="hint">Scope: the whole workspace — every agent, contract and event in the period. Leave a day empty for an open end.</p>
      </fieldset>
      {needsPassphrase && (
        <label htmlFor={ids.pass}>Passphrase of the signing key (used once, never stored)
          <input id={ids.pass} type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        </label>
      )}
      {exporting ? (
        <div className="bundle-progress" data-testid="export-progress">
          <progress max={1} value={share} aria-label="Export progress" />
          <span>{count(exporting.done, 'event')}{exporting.total ? ` of ${exporting.total.toLocaleString('en-US')}` : ''} · {Math.round(exporting.rate).toLocaleString('en-US')} events/s</span>
          <button type="button" onClick={() => void cancelExport()}>Cancel</button>
        </div>
      ) : (
        <button type="submit" className="primary" disabled={badPeriod || (needsPassphrase && passphrase.length === 0)}>Export bundle</button>
      )}
      <ErrorBox error={exportError} testId="export-error" />
      {exported && (
        <div className="bundle-result" role="status" data-testid="export-result">
          <p><strong>Exported {exported.fileName}</strong></p>
          <dl className="facts">
            <dt>Saved to</dt><dd><code>{exported.location}</code></dd>
            <dt>Size</dt><dd>{formatBytes(exported.bytes)}</dd>
            <dt>Events</dt><dd>{exported.events === 0 ? 'none in this period' : `${count(exported.events, 'event')} (#${exported.firstSeq}–#${exported.treeSize})`}</dd>
            <dt>Root hash</dt><dd><code title={exported.rootHash}>{shortHash(exported.rootHash, 24)}</code></dd>
            <dt>Time</dt><dd>{(exported.elapsedMs / 1000).toFixed(1)} s</dd>
          </dl>
          <button type="button" onClick={() => void openExported()} disabled={opening !== null}>Open and verify it now</button>
        </div>
      )}
    </form>
  );
}
