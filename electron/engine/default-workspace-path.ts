/**
 * Where the app and the CLI keep the workspace when no path is given: `workspace.db` in a
 * `Charter` folder of the OS user-data directory (the folder Electron's `app.getPath('userData')`
 * names for an app called Charter).
 */
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export const WORKSPACE_FILE_NAME = 'workspace.db';
export const APP_DATA_FOLDER = 'Charter';

export interface PlatformInfo {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
}

export function defaultDataDir(info: PlatformInfo = currentPlatform()): string {
  const { platform, env, home } = info;
  if (platform === 'win32') {
    return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), APP_DATA_FOLDER);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_DATA_FOLDER);
  // Linux and the other Unixes follow the XDG base directory spec, as Electron does.
  const config = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : posix.join(home, '.config');
  return posix.join(config, APP_DATA_FOLDER);
}

export function defaultWorkspacePath(info: PlatformInfo = currentPlatform()): string {
  const dir = defaultDataDir(info);
  return info.platform === 'win32' ? win32.join(dir, WORKSPACE_FILE_NAME) : posix.join(dir, WORKSPACE_FILE_NAME);
}

function currentPlatform(): PlatformInfo {
  return { platform: process.platform, env: process.env, home: homedir() };
}
