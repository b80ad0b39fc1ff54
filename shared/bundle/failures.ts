/**
 * Why a bundle was refused. Each class has its own exit code in `charter bundle verify`
 * (docs/bundles.md lists them); the message names the file, event or key concerned.
 */

export type BundleFailureKind =
  | 'signature'
  | 'untrusted_key'
  | 'tampered'
  | 'missing_file'
  | 'extra_file'
  | 'event_mismatch'
  | 'consistency'
  | 'archive'
  | 'unsupported_version';

export const BUNDLE_EXIT_CODES: Readonly<Record<BundleFailureKind, number>> = {
  signature: 10,
  untrusted_key: 11,
  tampered: 12,
  missing_file: 13,
  extra_file: 14,
  event_mismatch: 15,
  consistency: 16,
  archive: 17,
  unsupported_version: 18,
};

export const BUNDLE_FAILURE_TITLES: Readonly<Record<BundleFailureKind, string>> = {
  signature: 'signature invalid',
  untrusted_key: 'untrusted key',
  tampered: 'tampered file',
  missing_file: 'missing file',
  extra_file: 'extra file',
  event_mismatch: 'event hash mismatch',
  consistency: 'broken consistency',
  archive: 'malformed or unsafe archive',
  unsupported_version: 'unsupported format version',
};

export interface BundleFailure {
  readonly kind: BundleFailureKind;
  readonly message: string;
  /** The archive entry concerned, when there is one. */
  readonly file?: string;
  /** The audit event concerned, when there is one. */
  readonly seq?: number;
  readonly kid?: string;
}

/** Thrown inside verification to stop at the first failure; verifyBundle returns it as a result. */
export class BundleRejection extends Error {
  readonly failure: BundleFailure;

  constructor(failure: BundleFailure) {
    super(failure.message);
    this.name = 'BundleRejection';
    this.failure = failure;
  }
}

export function reject(kind: BundleFailureKind, message: string, detail: Omit<BundleFailure, 'kind' | 'message'> = {}): never {
  throw new BundleRejection({ kind, message, ...detail });
}
