/** Simulate: build a request, see the decision with its reasons, and keep it as a test case. */
import { useEffect, useState } from 'react';
import { MATURITY_LEVELS } from '../../shared/domain.ts';
import type { Maturity } from '../../shared/domain.ts';
import { useContracts } from '../state/contracts.ts';
import { useSimulate } from '../state/simulate.ts';
import type { ContextKind } from '../state/simulate.ts';

export function SimulateScreen() {
  const s = useSimulate();
  const catalog = useContracts((c) => c.catalog);
  const [caseName, setCaseName] = useState('');

  useEffect(() => {
    void s.loadAgents();
    if (useContracts.getState().catalog.length === 0) void useContracts.getState().refresh();
  }, []);

  const onKey = (event: React.KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      void s.simulate();
    }
  };

  return (
    <div className="simulate" data-testid="simulate-screen" onKeyDown={onKey}>
      <section className="panel" aria-label="Request">
        <h2>Request</h2>
        <fieldset>
          <legend>Who is asking</legend>
          {(['agent', 'session', 'workspace'] as ContextKind[]).map((kind) => (
            <label key={kind} className="radio">
              <input type="radio" name="context" checked={s.contextKind === kind} onChange={() => s.set({ contextKind: kind })} />
              {kind === 'agent' ? 'A named agent' : kind === 'session' ? 'A session' : 'Workspace default (nobody named)'}
            </label>
          ))}
        </fieldset>
        {s.contextKind === 'agent' && (
          <label>
            Agent
            <select value={s.agentId} onChange={(e) => s.set({ agentId: e.target.value })}>
              {s.agents.length === 0 && <option value="">No agents yet — create one below</option>}
              {s.agents.map((a) => <option key={a.id} value={a.id}>{a.name} ({a.maturity}, {a.role})</option>)}
            </select>
          </label>
        )}
        {s.contextKind === 'session' && (
          <div className="row">
            <label>
              Session id
              <input value={s.sessionId} onChange={(e) => s.set({ sessionId: e.target.value })} placeholder="session id" />
            </label>
            <button type="button" onClick={() => void s.newSession(s.agentId || null)}>New session{s.agentId ? ' for the selected agent' : ''}</button>
            <button type="button" className="ghost" onClick={() => void s.newSession(null)}>New session, no agent</button>
          </div>
        )}
        <label>
          Action
          <input list="actions" value={s.action} onChange={(e) => s.set({ action: e.target.value })} placeholder="stream_chat or tool:name" />
          <datalist id="actions">
            {catalog.map((a) => <option key={a.name} value={a.name}>{`complexity ${a.complexity}`}</option>)}
          </datalist>
        </label>
        <label>
          Input (JSON)
          <textarea rows={8} value={s.input} onChange={(e) => s.set({ input: e.target.value })} spellCheck={false} aria-invalid={s.inputError ? 'true' : 'false'} />
        </label>
        {s.inputError && <p className="field-error" role="alert">{s.inputError}</p>}
        <label className="check">
          <input type="checkbox" checked={s.record} onChange={(e) => s.set({ record: e.target.checked })} /> Record the decision in the audit trail
        </label>
        <button type="button" className="primary" onClick={() => void s.simulate()} disabled={s.running || !s.action.trim()} title="Ctrl+Enter">
          {s.running ? 'Deciding…' : 'Simulate'}
        </button>
        <NewAgent />
      </section>

      <section className="panel" aria-label="Decision" aria-live="polite">
        <h2>Decision</h2>
        {!s.decision && <p className="hint">Build a request on the left and press Simulate (Ctrl+Enter). You will see the outcome, the rules that produced it, obligations such as redactions or a token cap, which rung of context resolution chose the agent, and how long it took.</p>}
        {s.decision && (
          <div data-testid="decision">
            <p className={`outcome ${s.decision.outcome}`} data-testid="outcome">{s.decision.outcome.toUpperCase()}</p>
            <dl className="facts">
              <dt>Agent</dt><dd>{s.decision.agentId}</dd>
              <dt>Resolution rung</dt><dd>{s.decision.rung.replace('_', ' ')}</dd>
              <dt>Contract</dt><dd>{s.decision.contract ? `${s.decision.contract.name} v${s.decision.contract.version}` : 'none (fail mode)'}</dd>
              <dt>Latency</dt><dd>{s.decision.latencyUs} µs{s.decision.cacheHit ? ' (cache hit)' : ''}</dd>
              {s.decision.degraded && (<><dt>Degraded</dt><dd>{s.decision.degraded}</dd></>)}
            </dl>
            <h3>Reasons</h3>
            {s.decision.reasons.length === 0 ? <p className="hint">No rule objected.</p> : (
              <ul data-testid="reasons">
                {s.decision.reasons.map((r, i) => <li key={i}>{r.message} <code>{r.ruleId}</code></li>)}
              </ul>
            )}
            <h3>Obligations</h3>
            <ul>
              {s.decision.obligations.tokenCap !== undefined && <li>At most {s.decision.obligations.tokenCap} tokens per stream</li>}
              {s.decision.obligations.redact.map((r, i) => <li key={i}>{r.method} {r.target} {r.path || '(whole)'} ({r.dataClass})</li>)}
              {s.decision.obligations.tokenCap === undefined && s.decision.obligations.redact.length === 0 && <li>None</li>}
            </ul>
            <div className="row">
              <label>
                Test case name
                <input value={caseName} onChange={(e) => setCaseName(e.target.value)} placeholder="e.g. students may not stream" />
              </label>
              <button type="button" onClick={() => void s.saveAsTestCase(caseName || `${s.decision!.action} is ${s.decision!.outcome}`)}>Save as test case</button>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}

function NewAgent() {
  const createAgent = useSimulate((s) => s.createAgent);
  const [name, setName] = useState('');
  const [role, setRole] = useState('assistant');
  const [maturity, setMaturity] = useState<Maturity>('student');
  const [contract, setContract] = useState('');
  const contracts = useContracts((c) => c.list);
  return (
    <details className="new-agent">
      <summary>Create an agent</summary>
      <label>Name<input value={name} onChange={(e) => setName(e.target.value)} /></label>
      <label>Role<input value={role} onChange={(e) => setRole(e.target.value)} /></label>
      <label>
        Maturity
        <select value={maturity} onChange={(e) => setMaturity(e.target.value as Maturity)}>
          {MATURITY_LEVELS.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>
      <label>
        Governed by
        <select value={contract} onChange={(e) => setContract(e.target.value)}>
          <option value="">the workspace default contract</option>
          {contracts.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
        </select>
      </label>
      <button type="button" onClick={() => void createAgent(name, role, maturity, contract || null).then(() => setName(''))} disabled={!name.trim()}>Create agent</button>
    </details>
  );
}
