import { describe, expect, it } from 'vitest';
import { resolveDbPath } from '../../../electron/cli/workspace.ts';
import { defaultWorkspacePath } from '../../../electron/engine/default-workspace-path.ts';

describe('the default workspace path (the app\'s user-data folder)', () => {
  it('follows XDG on Linux, falling back to ~/.config', () => {
    expect(defaultWorkspacePath({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, home: '/home/ada' })).toBe('/cfg/Charter/workspace.db');
    expect(defaultWorkspacePath({ platform: 'linux', env: {}, home: '/home/ada' })).toBe('/home/ada/.config/Charter/workspace.db');
    // A relative XDG_CONFIG_HOME is invalid per the spec and ignored, as Electron does.
    expect(defaultWorkspacePath({ platform: 'linux', env: { XDG_CONFIG_HOME: 'cfg' }, home: '/home/ada' })).toBe('/home/ada/.config/Charter/workspace.db');
  });

  it('uses Application Support on macOS and %APPDATA% on Windows', () => {
    expect(defaultWorkspacePath({ platform: 'darwin', env: {}, home: '/Users/ada' })).toBe('/Users/ada/Library/Application Support/Charter/workspace.db');
    expect(defaultWorkspacePath({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, home: 'C:\\Users\\ada' }))
      .toBe('C:\\Users\\ada\\AppData\\Roaming\\Charter\\workspace.db');
  });

  it('lets --db win over $CHARTER_DB, which wins over the default; relative paths resolve against the working directory', () => {
    expect(resolveDbPath('w.db', { CHARTER_DB: '/env.db' }, '/work')).toBe('/work/w.db');
    expect(resolveDbPath(undefined, { CHARTER_DB: '/env.db' }, '/work')).toBe('/env.db');
    expect(resolveDbPath(undefined, { HOME: '/home/ada', XDG_CONFIG_HOME: '/cfg' }, '/work')).toBe(process.platform === 'linux' ? '/cfg/Charter/workspace.db' : expect.any(String));
    expect(resolveDbPath(':memory:', {}, '/work')).toBe(':memory:');
  });
});
