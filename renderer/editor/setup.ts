/**
 * The editor's base extensions. The `codemirror` package installed here is the legacy 5.x line
 * (no `basicSetup`), and @codemirror/commands and @codemirror/search are not installed, so this
 * assembles what the installed CodeMirror 6 packages provide. Undo history and the search panel
 * need @codemirror/commands / @codemirror/search (see docs/workbench.md).
 */
import { closeBrackets } from '@codemirror/autocomplete';
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { EditorState } from '@codemirror/state';
import { drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, lineNumbers } from '@codemirror/view';

export const baseSetup: Extension = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  foldGutter(),
  drawSelection(),
  EditorState.allowMultipleSelections.of(true),
  indentOnInput(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  bracketMatching(),
  closeBrackets(),
  highlightActiveLine(),
  EditorState.tabSize.of(2),
];
