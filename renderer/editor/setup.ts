/**
 * The editors' base extensions, CodeMirror 6's basic setup assembled here so that the keymap and
 * colours fit the workbench: history (Ctrl+Z; Ctrl+Y or Ctrl+Shift+Z), the search panel (Ctrl+F,
 * F3 / Enter for next, Shift+Enter for previous, Escape to close), bracket matching, folding
 * (gutter, Ctrl+Shift+[ / ]) and the standard editing keys. Tab is left to move focus, so the
 * editor never traps keyboard users. Completion's keys come with `autocompletion()` where an
 * editor uses it.
 */
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import type { Extension } from '@codemirror/state';
import { EditorState } from '@codemirror/state';
import { tags } from '@lezer/highlight';
import {
  EditorView, drawSelection, dropCursor, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers,
  rectangularSelection,
} from '@codemirror/view';

/**
 * Token colours from CSS variables (styles.css), so both themes keep readable contrast;
 * CodeMirror's default style is tuned for light backgrounds only.
 */
const themedHighlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--hl-key)' },
  { tag: [tags.string, tags.special(tags.string), tags.content], color: 'var(--hl-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--hl-atom)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--hl-comment)', fontStyle: 'italic' },
  { tag: [tags.keyword, tags.meta, tags.typeName, tags.labelName], color: 'var(--hl-keyword)' },
  { tag: [tags.punctuation, tags.separator, tags.brace, tags.squareBracket], color: 'var(--text)' },
]);

/** The search panel, matches, matched brackets and fold markers in the workbench's colours. */
const workbenchTheme = EditorView.theme({
  '.cm-panels': { backgroundColor: 'var(--panel)', color: 'var(--text)' },
  '.cm-panels.cm-panels-top': { borderBottom: '1px solid var(--border)' },
  '.cm-panels.cm-panels-bottom': { borderTop: '1px solid var(--border)' },
  '.cm-search': { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '4px 6px', padding: '6px 8px', fontSize: '13px' },
  '.cm-search label': { display: 'inline-flex', alignItems: 'center', gap: '3px', fontSize: '13px' },
  '.cm-search input, .cm-search button': { margin: '0' },
  '.cm-textfield': {
    color: 'var(--text)', backgroundColor: 'var(--panel)', border: '1px solid var(--border)', borderRadius: '6px', padding: '2px 6px', fontSize: '13px',
  },
  '.cm-button': {
    color: 'var(--text)', backgroundColor: 'var(--panel)', backgroundImage: 'none', border: '1px solid var(--border)',
    borderRadius: '6px', padding: '2px 8px', fontSize: '13px',
  },
  '.cm-panel.cm-search [name=close]': { color: 'var(--muted)', fontSize: '16px', padding: '0 6px' },
  '.cm-searchMatch': { backgroundColor: 'color-mix(in srgb, var(--escalate) 25%, transparent)', outline: '1px solid color-mix(in srgb, var(--escalate) 60%, transparent)' },
  '.cm-searchMatch.cm-searchMatch-selected': { backgroundColor: 'color-mix(in srgb, var(--accent) 35%, transparent)' },
  '.cm-selectionMatch': { backgroundColor: 'color-mix(in srgb, var(--accent) 15%, transparent)' },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'color-mix(in srgb, var(--allow) 30%, transparent)', outline: '1px solid var(--allow)' },
  '&.cm-focused .cm-nonmatchingBracket': { backgroundColor: 'color-mix(in srgb, var(--deny) 30%, transparent)' },
  '.cm-foldGutter .cm-gutterElement': { cursor: 'pointer', padding: '0 4px' },
  '.cm-foldPlaceholder': { backgroundColor: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--muted)' },
});

export const baseSetup: Extension = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  history(),
  foldGutter({ markerDOM: (open) => foldMarker(open) }),
  drawSelection(),
  dropCursor(),
  EditorState.allowMultipleSelections.of(true),
  indentOnInput(),
  syntaxHighlighting(themedHighlight),
  bracketMatching(),
  closeBrackets(),
  rectangularSelection(),
  highlightActiveLine(),
  highlightSelectionMatches(),
  search({ top: true }),
  EditorState.tabSize.of(2),
  workbenchTheme,
  keymap.of([
    ...closeBracketsKeymap,
    ...defaultKeymap,
    ...searchKeymap,
    ...historyKeymap,
    ...foldKeymap,
    ...lintKeymap,
  ]),
];

/** Fold markers that say what they do (the default ones are bare glyphs). */
function foldMarker(open: boolean): HTMLElement {
  const marker = document.createElement('span');
  marker.textContent = open ? '⌄' : '›';
  marker.title = open ? 'Fold' : 'Unfold';
  marker.setAttribute('aria-hidden', 'true');
  return marker;
}
