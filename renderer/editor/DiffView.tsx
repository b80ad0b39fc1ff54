/** Side-by-side diff of two contract versions (@codemirror/merge), read-only. */
import { yaml } from '@codemirror/lang-yaml';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { baseSetup } from './setup.ts';
import { useEffect, useRef } from 'react';

export function DiffView({ left, right, label }: { readonly left: string; readonly right: string; readonly label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    // Read-only but still focusable, so keyboard users can scroll and select.
    const ro = [baseSetup, yaml(), EditorState.readOnly.of(true)];
    const merge = new MergeView({
      a: { doc: left, extensions: [...ro, EditorView.contentAttributes.of({ 'aria-label': `${label}: older version` })] },
      b: { doc: right, extensions: [...ro, EditorView.contentAttributes.of({ 'aria-label': `${label}: newer version` })] },
      parent: host.current,
      gutter: true,
    });
    // The scrollers must be reachable by keyboard (axe: scrollable-region-focusable).
    for (const [view, side] of [[merge.a, 'older'], [merge.b, 'newer']] as const) {
      view.scrollDOM.tabIndex = 0;
      view.scrollDOM.setAttribute('aria-label', `${label}: ${side} version, scrollable`);
    }
    return () => merge.destroy();
  }, [left, right, label]);
  return <div className="diff" ref={host} data-testid="diff-view" />;
}
