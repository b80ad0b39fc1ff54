/**
 * The editor's base extensions. The `codemirror` package installed here is the legacy 5.x line
 * (no `basicSetup`), and @codemirror/commands and @codemirror/search are not installed, so this
 * assembles what the installed CodeMirror 6 packages provide (undo/redo: ./history.ts). The
 * search panel needs @codemirror/search (see docs/workbench.md).
 */
import { closeBrackets } from '@codemirror/autocomplete';
import { HighlightStyle, bracketMatching, foldGutter, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { EditorState } from '@codemirror/state';
import { tags } from '@lezer/highlight';
import { drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, lineNumbers } from '@codemirror/view';

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

export const baseSetup: Extension = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  foldGutter(),
  drawSelection(),
  EditorState.allowMultipleSelections.of(true),
  indentOnInput(),
  syntaxHighlighting(themedHighlight),
  bracketMatching(),
  closeBrackets(),
  highlightActiveLine(),
  EditorState.tabSize.of(2),
];
