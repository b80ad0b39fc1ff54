/** Tests: a contract's suite, run it, see each case and rule coverage, jump to a failing case. */
import { useEffect } from 'react';
import { EmptyState } from '../components/EmptyState.tsx';
import { YamlEditor } from '../editor/lazy.tsx';
import { useContracts } from '../state/contracts.ts';
import { useTests } from '../state/tests.ts';

export function TestsScreen() {
  const t = useTests();
  const contracts = useContracts((c) => c.list);

  useEffect(() => {
    void useContracts.getState().refresh().then(() => {
      const first = useContracts.getState().list[0]?.name;
      if (!useTests.getState().contract && first) void useTests.getState().choose(first);
    });
  }, []);

  if (contracts.length === 0) {
    return (
      <EmptyState title="No contracts to test yet">
        <p>Tests belong to a contract. Create one in the Contracts screen, then come back to write cases: each case is a request and the decision you expect.</p>
      </EmptyState>
    );
  }

  return (
    <div className="tests" data-testid="tests-screen">
      <section className="main-pane" aria-label="Suite">
        <div className="toolbar">
          <label className="inline">
            Contract
            <select value={t.contract} onChange={(e) => void t.choose(e.target.value)}>
              {contracts.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
            </select>
          </label>
          <span className="spacer" />
          <button type="button" onClick={() => void t.save()}>Save suite</button>
          <button type="button" className="primary" onClick={() => void t.run()} disabled={t.running}>{t.running ? 'Running…' : 'Run suite'}</button>
        </div>
        {!t.stored && <p className="hint">This contract has no saved suite yet. Below is a skeleton: add cases (a request and the expected outcome), or use "Save as test case" in Simulate.</p>}
        <YamlEditor key={t.contract} value={t.source} onChange={t.edit} label="Test suite YAML" focus={t.focus} onSave={() => void t.save()} testId="suite-editor" />
      </section>
      <section className="panel results" aria-label="Results">
        <h2>Results</h2>
        {!t.report && <p className="hint">Run the suite to see which cases pass and which rules the cases exercised.</p>}
        {t.report && (
          <>
            <p className={t.report.failed === 0 ? 'summary pass' : 'summary fail'} data-testid="test-summary">
              {t.report.passed} passed, {t.report.failed} failed · rule coverage {Math.round(t.report.coverageRatio * 100)}%
            </p>
            {t.report.diagnostics.length > 0 && (
              <ul className="diagnostics">
                {t.report.diagnostics.map((d, i) => (
                  <li key={i} className={d.severity}>
                    <button type="button" className="link" onClick={() => d.location && t.jumpTo(d.location.line)}>{d.location ? `Line ${d.location.line}` : 'Suite'}</button> {d.message}
                  </li>
                ))}
              </ul>
            )}
            <table className="grid">
              <thead><tr><th scope="col">Case</th><th scope="col">Expected</th><th scope="col">Actual</th><th scope="col">Result</th></tr></thead>
              <tbody>
                {t.report.cases.map((c, i) => (
                  <tr key={i} className={c.passed ? 'pass' : 'fail'}>
                    <td>
                      {c.line ? <button type="button" className="link" onClick={() => t.jumpTo(c.line!)}>{c.name}</button> : c.name}
                      {!c.passed && <div className="item-meta">{c.message}</div>}
                    </td>
                    <td>{c.expected}</td>
                    <td>{c.actual ?? '—'}</td>
                    <td>{c.passed ? 'pass' : 'FAIL'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>Rule coverage</h3>
            <ul className="coverage">
              {t.report.coverage.map((r) => <li key={r.ruleId} className={r.hits > 0 ? 'hit' : 'miss'}><code>{r.ruleId}</code> {r.hits > 0 ? `${r.hits} hit(s)` : 'not exercised'}</li>)}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
