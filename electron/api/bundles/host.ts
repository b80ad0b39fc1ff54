/**
 * Where bundles come from and go to, per host. The page never supplies a path: the desktop app
 * asks the user with its own dialogs (electron/main.ts); `charter web` writes exports into
 * `exports/` beside the workspace under a generated name, and takes bundles to open as uploads.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CharterError } from '../../../shared/errors.ts';
import type { SecretBox } from '../../engine/keys/secret-box.ts';

export interface ExportTarget {
  readonly path: string;
  /** Where it went, in words for the user. */
  readonly location: string;
}

/** The OS keychain's secret box, or why there is none here. */
export interface Keychain {
  readonly box: SecretBox | null;
  readonly problem: string | null;
}

export interface BundleHost {
  /** A path for a new bundle (suggested file name given); null when the user cancelled. */
  chooseExportPath(suggestedName: string): Promise<ExportTarget | null>;
  /** A bundle file the user picks; null when cancelled. Hosts that cannot ask throw. */
  chooseBundle(): Promise<string | null>;
  keychain(): Keychain;
}

export const NO_KEYCHAIN_OVER_BRIDGE =
  'Charter in the browser has no access to a system keychain, so the signing key is sealed with a passphrase you type. It is never stored.';

/** `charter web` and direct use: exports into `<workspace folder>/exports/`, no dialogs, no keychain. */
export function workspaceFolderHost(workspacePath: string): BundleHost {
  const folder = join(dirname(workspacePath), 'exports');
  return {
    chooseExportPath: async (suggestedName) => {
      mkdirSync(folder, { recursive: true });
      const stem = suggestedName.replace(/\.charter$/, '');
      let name = `${stem}.charter`;
      for (let n = 2; existsSync(join(folder, name)) || existsSync(join(folder, `${name}.partial`)); n++) name = `${stem}-${n}.charter`;
      return { path: join(folder, name), location: `exports/${name}` };
    },
    chooseBundle: async () => {
      throw new CharterError('invalid_argument', 'In the browser, choose the bundle file to upload: Charter web never opens a file by a path the page names.');
    },
    keychain: () => ({ box: null, problem: NO_KEYCHAIN_OVER_BRIDGE }),
  };
}

/** `charter-<workspace>-<YYYYMMDD-HHMMSS>.charter`, safe on every file system. */
export function suggestedBundleName(workspaceName: string, now: Date): string {
  const safe = workspaceName.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'workspace';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `charter-${safe}-${stamp}.charter`;
}
