import type { ReactNode } from 'react';

/** An empty state that teaches: what this place is for and the first thing to do. */
export function EmptyState({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <section className="empty" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
