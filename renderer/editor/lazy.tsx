/**
 * The editors load on first use: CodeMirror is most of the bundle, and the first screen
 * (the contract list) does not need it until a contract is opened.
 */
import { lazy, Suspense } from 'react';
import type { ComponentProps } from 'react';
import type { DiffView as DiffViewType } from './DiffView.tsx';
import type { YamlEditor as YamlEditorType } from './YamlEditor.tsx';

const LazyYamlEditor = lazy(() => import('./YamlEditor.tsx').then((m) => ({ default: m.YamlEditor })));
const LazyDiffView = lazy(() => import('./DiffView.tsx').then((m) => ({ default: m.DiffView })));

const loading = <div className="editor" aria-busy="true">Loading the editor…</div>;

export function YamlEditor(props: ComponentProps<typeof YamlEditorType>) {
  return <Suspense fallback={loading}><LazyYamlEditor {...props} /></Suspense>;
}

export function DiffView(props: ComponentProps<typeof DiffViewType>) {
  return <Suspense fallback={loading}><LazyDiffView {...props} /></Suspense>;
}
