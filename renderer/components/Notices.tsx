/** The one place errors and confirmations are shown: in words, with what to do next. */
import { useApp } from '../state/app.ts';

export function Notices() {
  const { error, notice, dismiss } = useApp();
  if (!error && !notice) return null;
  if (error) {
    return (
      <div className="notice error" role="alert" data-testid="error">
        <div>
          <strong>{error.message}</strong>
          <p>{error.hint}</p>
          {error.diagnostics.length > 0 && (
            <ul>
              {error.diagnostics.slice(0, 5).map((d, i) => (
                <li key={i}>{d.location ? `line ${d.location.line}, column ${d.location.column}: ` : d.pointer ? `${d.pointer}: ` : ''}{d.message}</li>
              ))}
            </ul>
          )}
        </div>
        <button type="button" className="ghost" onClick={dismiss}>Dismiss</button>
      </div>
    );
  }
  return (
    <div className="notice ok" role="status" data-testid="notice">
      <span>{notice}</span>
      <button type="button" className="ghost" onClick={dismiss}>Dismiss</button>
    </div>
  );
}
