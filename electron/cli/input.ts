/** Reading the files users name on the command line. */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readSourceFile } from '../engine/testing/source-file.ts';
import { CommandError, inputError } from './command-error.ts';
import { ExitCode } from './exit-codes.ts';

/** Reads a contract, suite or scenario; unreadable, oversized or binary files exit with code 3. */
export function readInputFile(path: string, kind: string, cwd: string): string {
  try {
    return readSourceFile(resolve(cwd, path), { kind });
  } catch (error) {
    throw inputError(error);
  }
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/**
 * Expands the arguments of `charter test`: files are taken as given, directories are searched
 * (recursively, skipping dot folders and node_modules) for `*.test.yaml` / `*.test.yml`.
 */
export function findSuiteFiles(args: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const arg of args) {
    const path = resolve(cwd, arg);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new CommandError(ExitCode.input, `${arg}: no such file or directory`);
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const found = walk(path);
    if (found.length === 0) throw new CommandError(ExitCode.input, `${arg}: no test suites (*.test.yaml) found`);
    files.push(...found);
  }
  return [...new Set(files)];
}

function walk(directory: string): string[] {
  const found: string[] = [];
  const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) found.push(...walk(path));
    } else if (entry.isFile() && /\.test\.ya?ml$/.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}
