/** Contracts: the list, the YAML editor with live diagnostics, versions, diff and lifecycle. */
import { useCallback, useEffect, useState } from 'react';
import type { ContractVersion } from '../../shared/domain.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { DiffView, YamlEditor } from '../editor/lazy.tsx';
import { useContracts } from '../state/contracts.ts';

export function ContractsScreen() {
  const s = useContracts();
  const [choosing, setChoosing] = useState(false);

  useEffect(() => {
    void s.refresh();
    // Load once on entering the screen.
  }, []);

  const check = useCallback((source: string) => useContracts.getState().validate(source), []);
  const save = useCallback(() => void useContracts.getState().saveDraft(), []);

  return (
    <div className={s.doc?.name ? 'contracts with-versions' : 'contracts'} data-testid="contracts-screen" data-ready={s.loaded ? 'true' : 'false'}>
      <aside className="sidebar" aria-label="Contracts">
        <div className="sidebar-head">
          <h2>Contracts</h2>
          <button type="button" onClick={() => setChoosing(true)}>New from template</button>
        </div>
        {s.loaded && s.list.length === 0 && <p className="hint">No contracts yet. Start from a template: it is valid from the first keystroke, and the editor checks every change.</p>}
        <ul className="list">
          {s.list.map((c) => (
            <li key={c.name}>
              <button type="button" className={s.doc?.name === c.name ? 'item selected' : 'item'} onClick={() => void s.open(c.name)}>
                <span className="item-title">{c.name}</span>
                <span className="item-meta">
                  {c.activeVersion ? `v${c.activeVersion} active` : 'not active'} · latest v{c.latestVersion}{c.hasDraft ? ' · draft' : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </aside>

      <section className="main-pane" aria-label="Editor">
        {choosing && (
          <div className="templates" role="dialog" aria-label="Choose a template">
            <h2>Start from a template</h2>
            <ul>
              {s.templates.map((t) => (
                <li key={t.id}>
                  <button type="button" className="item" onClick={() => { s.startFromTemplate(t); setChoosing(false); }}>
                    <span className="item-title">{t.title}</span>
                    <span className="item-meta">{t.description}</span>
                  </button>
                </li>
              ))}
            </ul>
            <button type="button" className="ghost" onClick={() => setChoosing(false)}>Cancel</button>
          </div>
        )}
        {!choosing && !s.doc && (
          <EmptyState title="Write your first agent contract">
            <p>A contract says what an agent may do: which actions and tools, with which inputs, under which quotas, and what needs a human.</p>
            <p>Pick a contract on the left, or <button type="button" className="link" onClick={() => setChoosing(true)}>start from a template</button>. Save with Ctrl+S; publish when the diagnostics are clear.</p>
          </EmptyState>
        )}
        {!choosing && s.doc && (
          <>
            <div className="toolbar">
              <h2 className="doc-title">{s.doc.name ?? 'New contract (not saved yet)'}{s.doc.base ? ` — v${s.doc.base.version} (${s.doc.base.status})` : ''}{s.doc.dirty ? ' •' : ''}</h2>
              <span className="spacer" />
              <span className="status" aria-live="polite">{s.validating ? 'Checking…' : s.diagnostics.some((d) => d.severity === 'error') ? `${s.diagnostics.length} problem(s)` : 'Valid'}</span>
              <button type="button" onClick={save} disabled={s.busy || !s.doc.dirty} title="Ctrl+S">Save draft</button>
              {s.doc.base?.status === 'draft' && !s.doc.dirty && (
                <button type="button" className="primary" onClick={() => void s.publish(s.doc!.base!.version)} disabled={s.busy}>Publish v{s.doc.base.version}</button>
              )}
            </div>
            {s.diff ? (
              <DiffPane versions={s.versions} diff={s.diff} onClose={s.closeDiff} />
            ) : (
              <YamlEditor
                key={`${s.doc.name ?? 'new'}:${s.doc.base?.version ?? 0}`}
                value={s.doc.source}
                onChange={s.edit}
                label="Contract YAML"
                check={check}
                catalog={s.catalog}
                focus={s.focus}
                onSave={save}
                testId="contract-editor"
              />
            )}
            <Diagnostics />
          </>
        )}
      </section>

      {s.doc?.name && <Versions />}
    </div>
  );
}

function Diagnostics() {
  const { diagnostics, jumpTo } = useContracts();
  if (diagnostics.length === 0) return null;
  return (
    <section className="diagnostics" aria-label="Problems">
      <h3>Problems</h3>
      <ul data-testid="diagnostics">
        {diagnostics.map((d, i) => (
          <li key={i} className={d.severity}>
            <button type="button" className="link" onClick={() => d.location && jumpTo(d.location.line, d.location.column)}>
              {d.location ? `Line ${d.location.line}, column ${d.location.column}` : d.pointer || 'Document'}
            </button>{' '}
            {d.message} <code>{d.code}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Versions() {
  const { versions, busy, activate, rollback, showDiff, doc } = useContracts();
  const [left, setLeft] = useState<number | null>(null);
  const active = versions.find((v) => v.status === 'active');
  return (
    <aside className="versions" aria-label="Versions">
      <h2>Versions</h2>
      <ul className="list" data-testid="versions">
        {[...versions].reverse().map((v: ContractVersion) => (
          <li key={v.version} className="version">
            <div>
              <strong>v{v.version}</strong> <span className={`badge ${v.status}`}>{v.status}</span>
              <div className="item-meta" title={v.hash}>{v.hash.slice(0, 12)} · {new Date(v.createdAt).toLocaleString()}</div>
            </div>
            <div className="version-actions">
              {v.status !== 'draft' && v.status !== 'active' && (active && v.version < active.version ? (
                <button type="button" onClick={() => void rollback(v.version)} disabled={busy}>Roll back to v{v.version}</button>
              ) : (
                <button type="button" onClick={() => void activate(v.version)} disabled={busy}>Activate</button>
              ))}
              {left === null ? (
                <button type="button" className="ghost" onClick={() => setLeft(v.version)} disabled={versions.length < 2}>Compare…</button>
              ) : left === v.version ? (
                <button type="button" className="ghost" onClick={() => setLeft(null)}>Cancel compare</button>
              ) : (
                <button type="button" className="ghost" onClick={() => { showDiff(left, v.version); setLeft(null); }}>Compare with v{left}</button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {left !== null && <p className="hint">Now choose the other version to compare with v{left}.</p>}
      {doc?.base && doc.base.status !== 'draft' && <p className="hint">Editing a published version and saving creates a new draft.</p>}
    </aside>
  );
}

function DiffPane({ versions, diff, onClose }: { readonly versions: readonly ContractVersion[]; readonly diff: readonly [number, number]; readonly onClose: () => void }) {
  const a = versions.find((v) => v.version === diff[0]);
  const b = versions.find((v) => v.version === diff[1]);
  if (!a || !b) return null;
  return (
    <div className="diff-pane">
      <div className="toolbar">
        <h3>v{a.version} ↔ v{b.version}</h3>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={onClose}>Back to editor</button>
      </div>
      <DiffView left={a.source} right={b.source} label={`Diff v${a.version} and v${b.version}`} />
    </div>
  );
}
