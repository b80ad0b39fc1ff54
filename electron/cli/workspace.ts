/** Resolves `--db` and opens the workspace for a command. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { homedir } from 'node:os';
import { isCharterError } from '../../shared/errors.ts';
import { defaultWorkspacePath } from '../engine/default-workspace-path.ts';
import type { openWorkspace, Workspace } from '../engine/workspace.ts';
import { CommandError } from './command-error.ts';
import type { WorkspaceUse } from './command.ts';
import { ExitCode } from './exit-codes.ts';

export type { Workspace };

type Env = Readonly<Record<string, string | undefined>>;

/** `--db`, else $CHARTER_DB, else the app's default workspace. */
export function resolveDbPath(flag: string | undefined, env: Env, cwd: string): string {
  const chosen = flag ?? (env.CHARTER_DB || undefined);
  if (chosen === ':memory:') return chosen;
  if (chosen !== undefined) return resolve(cwd, chosen);
  return defaultWorkspacePath({ platform: process.platform, env, home: env.HOME || homedir() });
}

export async function openCliWorkspace(path: string, use: WorkspaceUse): Promise<Workspace> {
  if (path !== ':memory:') {
    if (use === 'existing' && !existsSync(path)) {
      throw new CommandError(ExitCode.store, `no workspace at ${path}\nCheck --db, or create one with a command that writes (e.g. "charter agents create").`);
    }
    if (use === 'create') {
      try {
        mkdirSync(dirname(path), { recursive: true });
      } catch (error) {
        throw new CommandError(ExitCode.store, `cannot create the workspace folder ${dirname(path)}: ${(error as Error).message}`);
      }
    }
  }
  const open = await loadOpenWorkspace();
  try {
    return await open(path);
  } catch (error) {
    // Whatever went wrong while opening, it is the workspace that is the problem: exit 4.
    if (isCharterError(error)) throw new CommandError(ExitCode.store, error.message, error.diagnostics);
    throw new CommandError(ExitCode.store, `cannot open workspace ${path}: ${(error as Error).message}`);
  }
}

export async function loadOpenWorkspace(): Promise<typeof openWorkspace> {
  // Loaded on demand so that commands which need no workspace start fast.
  const module = await import('../engine/workspace.ts');
  return module.openWorkspace;
}
