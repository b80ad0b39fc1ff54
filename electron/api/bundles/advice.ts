/** What an auditor should do about each reason a bundle was refused. */
import type { BundleFailureClass } from '../../../shared/api/types.ts';

export const BUNDLE_ADVICE: Readonly<Record<BundleFailureClass, string>> = {
  signature: 'Do not rely on this file. Ask the sender for a fresh export; if it happens again, the file was altered or forged.',
  untrusted_key: 'The key that signed it is not one this workspace trusts. Get the sender\'s public keys (charter keys export-public) through a channel you trust, add them under Trusted keys, then open the bundle again.',
  tampered: 'A file inside the bundle changed after it was signed. Do not rely on it; ask the sender for the original export.',
  missing_file: 'A file the signed manifest lists is missing. Ask the sender for the complete original export.',
  extra_file: 'The bundle holds a file its signed manifest does not list, so something was added. Ask the sender for the original export.',
  event_mismatch: 'An audit event does not match the signed chain: events were changed, removed or reordered. Do not rely on this bundle.',
  consistency: 'This bundle does not extend the earlier export: history was rewritten between them. Investigate before relying on either.',
  archive: 'The file is not a well-formed Charter bundle (or is unsafe to read). Check that you picked the right file and that it was copied completely.',
  unsupported_version: 'The bundle was made by a newer Charter. Update Charter, then open it again.',
};
