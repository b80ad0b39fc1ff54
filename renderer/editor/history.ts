/**
 * Undo and redo for the editor. @codemirror/commands (which ships `history`) is not installed,
 * so this is a small equivalent: inverted change sets on two stacks, consecutive typing within
 * half a second grouped into one step.
 */
import { Annotation, StateField } from '@codemirror/state';
import type { ChangeSet, Extension, Transaction } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';
import { keymap } from '@codemirror/view';

type Step = 'undo' | 'redo';
const fromHistory = Annotation.define<Step>();
const GROUP_MS = 500;
const MAX_STEPS = 200;

interface History {
  readonly done: readonly ChangeSet[];
  readonly undone: readonly ChangeSet[];
  readonly lastAt: number;
}

const historyField = StateField.define<History>({
  create: () => ({ done: [], undone: [], lastAt: 0 }),
  update(value, tr: Transaction) {
    if (!tr.docChanged) return value;
    const inverse = tr.changes.invert(tr.startState.doc);
    const step = tr.annotation(fromHistory);
    if (step === 'undo') return { done: value.done.slice(0, -1), undone: [...value.undone, inverse], lastAt: 0 };
    if (step === 'redo') return { done: [...value.done, inverse], undone: value.undone.slice(0, -1), lastAt: 0 };
    const now = Date.now();
    const last = value.done.at(-1);
    if (last && tr.isUserEvent('input.type') && now - value.lastAt < GROUP_MS) {
      // Undoing "A then B" is "undo B, then undo A".
      return { done: [...value.done.slice(0, -1), inverse.compose(last)], undone: [], lastAt: now };
    }
    return { done: [...value.done, inverse].slice(-MAX_STEPS), undone: [], lastAt: now };
  },
});

function apply(view: EditorView, step: Step): boolean {
  const history = view.state.field(historyField);
  const changes = step === 'undo' ? history.done.at(-1) : history.undone.at(-1);
  if (!changes) return false;
  view.dispatch({ changes, annotations: fromHistory.of(step), scrollIntoView: true, userEvent: step });
  return true;
}

export const undoRedo: Extension = [
  historyField,
  keymap.of([
    { key: 'Mod-z', preventDefault: true, run: (view) => apply(view, 'undo') },
    { key: 'Mod-y', preventDefault: true, run: (view) => apply(view, 'redo') },
    { key: 'Mod-Shift-z', preventDefault: true, run: (view) => apply(view, 'redo') },
  ]),
];
