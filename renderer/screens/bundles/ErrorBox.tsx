import type { ShownError } from '../../errors.ts';

/** A failure next to the form that caused it: what happened, and what to do. */
export function ErrorBox({ error, testId }: { readonly error: ShownError | null; readonly testId: string }) {
  if (!error) return null;
  return (
    <div className="bundle-error" role="alert" data-testid={testId}>
      <strong>{error.message}</strong>
      <p>{error.hint}</p>
    </div>
  );
}
