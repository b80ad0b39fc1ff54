/**
 * CodeMirror 6 YAML editor with diagnostics from the engine's validator (placed at their line
 * and column), completion of contract keys, action and tool names, and hover docs.
 */
import { autocompletion } from '@codemirror/autocomplete';
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter } from '@codemirror/lint';
import type { Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { EditorSelection, EditorState } from '@codemirror/state';
import type { Text } from '@codemirror/state';
import { EditorView, hoverTooltip, keymap } from '@codemirror/view';
import { baseSetup } from './setup.ts';
import { useEffect, useRef } from 'react';
import type { CatalogAction } from '../../shared/catalog.ts';
import type { Diagnostic } from '../../shared/errors.ts';
import { CONTRACT_KEY_DOCS } from './contract-docs.ts';

export interface YamlEditorProps {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly label: string;
  readonly check?: (source: string) => Promise<readonly Diagnostic[]>;
  readonly catalog?: readonly CatalogAction[];
  readonly focus?: { readonly line: number; readonly column?: number; readonly nonce: number } | null;
  readonly onSave?: () => void;
  readonly testId?: string;
}

export function toRange(doc: Text, d: Diagnostic): { from: number; to: number } {
  if (!d.location) return { from: 0, to: Math.min(doc.length, doc.line(1).to) };
  const line = doc.line(Math.min(Math.max(1, d.location.line), doc.lines));
  const from = Math.min(line.to, line.from + Math.max(0, d.location.column - 1));
  let to = from;
  if (d.location.endLine !== undefined && d.location.endColumn !== undefined) {
    const endLine = doc.line(Math.min(Math.max(1, d.location.endLine), doc.lines));
    to = Math.min(endLine.to, endLine.from + Math.max(0, d.location.endColumn - 1));
  }
  if (to <= from) {
    const rest = line.text.slice(from - line.from);
    const word = /^[^\s:,\]}]+/.exec(rest)?.[0].length ?? 0;
    to = word > 0 ? from + word : Math.min(line.to, from + 1);
  }
  return { from, to: Math.max(to, from) };
}

function declaredTools(doc: string): string[] {
  const match = /^ {2}tools:\s*\n((?: {4,}.*\n?)*)/m.exec(doc);
  if (!match?.[1]) return [];
  return [...match[1].matchAll(/^ {4}([A-Za-z0-9_-]+):/gm)].map((m) => `tool:${m[1]}`);
}

export function YamlEditor(props: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    if (!host.current) return;
    const complete = (context: CompletionContext): CompletionResult | null => {
      const word = context.matchBefore(/[\w:.-]*/);
      if (!word || (word.from === word.to && !context.explicit)) return null;
      const line = context.state.doc.lineAt(context.pos);
      const before = line.text.slice(0, context.pos - line.from);
      const atKey = /^\s*(- )?[\w]*$/.test(before);
      const actions = [...(latest.current.catalog ?? []).map((a) => ({ label: a.name, type: 'enum', detail: `complexity ${a.complexity}`, info: a.description })),
        ...declaredTools(context.state.doc.toString()).map((t) => ({ label: t, type: 'function', detail: 'tool' }))];
      const keys = Object.entries(CONTRACT_KEY_DOCS).map(([label, info]) => ({ label, type: 'property', info, apply: `${label}: ` }));
      return { from: word.from, options: atKey ? [...keys, ...actions] : actions, validFor: /^[\w:.-]*$/ };
    };
    const hover = hoverTooltip((v, pos) => {
      const line = v.state.doc.lineAt(pos);
      let start = pos;
      let end = pos;
      while (start > line.from && /[\w:-]/.test(line.text[start - line.from - 1] ?? '')) start--;
      while (end < line.to && /[\w:-]/.test(line.text[end - line.from] ?? '')) end++;
      const word = line.text.slice(start - line.from, end - line.from).replace(/:$/, '');
      const action = latest.current.catalog?.find((a) => a.name === word);
      const text = action ? `${action.name} — complexity ${action.complexity} (${action.family}). ${action.description}` : CONTRACT_KEY_DOCS[word];
      if (!text) return null;
      return {
        pos: start,
        end,
        above: true,
        create: () => {
          const dom = document.createElement('div');
          dom.className = 'cm-doc-tooltip';
          dom.textContent = text;
          return { dom };
        },
      };
    });
    const extensions = [
      baseSetup,
      yaml(),
      EditorView.contentAttributes.of({ 'aria-label': props.label }),
      keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => (latest.current.onSave?.(), true) }]),
      autocompletion({ override: [complete] }),
      hover,
      EditorView.updateListener.of((update) => {
        if (update.docChanged) latest.current.onChange(update.state.doc.toString());
      }),
    ];
    if (props.check) {
      extensions.push(
        lintGutter(),
        linter(
          async (v): Promise<CmDiagnostic[]> => {
            const check = latest.current.check;
            if (!check) return [];
            const source = v.state.doc.toString();
            const found = await check(source);
            // The document may have moved on while we waited; map only onto the text we checked.
            if (v.state.doc.toString() !== source) return [];
            return found.map((d) => ({ ...toRange(v.state.doc, d), severity: d.severity, message: `${d.message} [${d.code}]` }));
          },
          { delay: 300 },
        ),
      );
    }
    view.current = new EditorView({ state: EditorState.create({ doc: props.value, extensions }), parent: host.current });
    // Keyboard users must be able to reach the scroll area (axe: scrollable-region-focusable).
    view.current.scrollDOM.tabIndex = 0;
    view.current.scrollDOM.setAttribute('aria-label', `${props.label}, scrollable`);
    return () => {
      view.current?.destroy();
      view.current = null;
    };
    // The editor is created once per mount; later value changes are applied below.
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== props.value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: props.value } });
    }
  }, [props.value]);

  useEffect(() => {
    const v = view.current;
    if (!v || !props.focus) return;
    const line = v.state.doc.line(Math.min(Math.max(1, props.focus.line), v.state.doc.lines));
    const pos = Math.min(line.to, line.from + Math.max(0, (props.focus.column ?? 1) - 1));
    v.dispatch({ selection: EditorSelection.cursor(pos), effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
    v.focus();
  }, [props.focus]);

  return <div className="editor" ref={host} data-testid={props.testId} />;
}
