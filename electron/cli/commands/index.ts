/** Every `charter` command. Adding one is a module in this folder plus one line here. */
import type { Command } from '../command.ts';
import { testCommand } from './test.ts';
import { validateCommand } from './validate.ts';

export const commands: readonly Command[] = [
  validateCommand,
  testCommand,
];
