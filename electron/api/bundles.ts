/**
 * The CharterApi's signing keys and compliance bundles (`keys.*`, `bundles.*`): key status,
 * creation and rotation sealed by the host's keychain or a passphrase; export in a worker with
 * progress and cancel, written where the host decides (never a path from the page); opening a
 * bundle verifies it against this workspace's trusted keys only, then serves it read-only.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { OperationHandlers } from '../../shared/api.ts';
import type { BundleCheck, BundleExportResult, KeyStatus, SigningKeySummary } from '../../shared/api/types.ts';
import { BUNDLE_FAILURE_TITLES } from '../../shared/bundle/failures.ts';
import type { BundleVerdict } from '../../shared/bundle/verify.ts';
import { CharterError, isCharterError } from '../../shared/errors.ts';
import type { JwsSigner } from '../../shared/merkle/jws.ts';
import type { ExportResult } from '../engine/bundles/export.ts';
import type { WorkerExportOptions } from '../engine/bundles/export-in-worker.ts';
import { exportBundleInWorker } from '../engine/bundles/export-in-worker.ts';
import type { WorkerVerifyOptions } from '../engine/bundles/verify-in-worker.ts';
import { verifyBundleInWorker } from '../engine/bundles/verify-in-worker.ts';
import { workspaceName } from '../engine/bundles/workspace-identity.ts';
import type { KeyAuditSink, SigningKeyInfo } from '../engine/keys/key-store.ts';
import { KeyStore } from '../engine/keys/key-store.ts';
import type { SecretBox } from '../engine/keys/secret-box.ts';
import { PassphraseSecretBox } from '../engine/keys/secret-box.ts';
import type { WorkspaceDb } from '../engine/store/database.ts';
import { BUNDLE_ADVICE } from './bundles/advice.ts';
import type { BundleHost } from './bundles/host.ts';
import { suggestedBundleName, workspaceFolderHost } from './bundles/host.ts';
import { OpenedBundle } from './bundles/opened.ts';
import type { UploadSpool } from './bundles/uploads.ts';
import type { EventHub } from './event-hub.ts';

export type BundleOperation = Extract<keyof OperationHandlers, `keys.${string}` | `bundles.${string}`>;
export type BundleHandlers = Pick<OperationHandlers, BundleOperation>;

export interface BundleApiOptions {
  readonly db: Pick<WorkspaceDb, 'sqlite'>;
  readonly workspacePath: string;
  readonly events: EventHub;
  /** Receives key.created / key.rotated / bundle.exported (the workspace's AuditLog). */
  readonly audit?: KeyAuditSink & { append(entry: { readonly type: 'bundle.exported'; readonly payload: unknown }): unknown };
  /** Dialogs and keychain (Electron); default: the workspace folder, no keychain (the bridge). */
  readonly host?: BundleHost;
  /** Bundles uploaded over the bridge. */
  readonly uploads?: UploadSpool;
  /** log2 of the passphrase box's scrypt cost (tests lower it). */
  readonly passphraseCostLog2?: number;
  readonly exportInWorker?: (path: string, options: WorkerExportOptions) => Promise<ExportResult>;
  readonly verifyInWorker?: (path: string, options: WorkerVerifyOptions) => Promise<BundleVerdict>;
}

/** Opened bundles kept at once; opening another closes the oldest. */
const MAX_OPEN = 3;
const MIN_PASSPHRASE = 8;

function newId(): string {
  return randomBytes(12).toString('base64url');
}

function summaryOf(key: SigningKeyInfo): SigningKeySummary {
  return { kid: key.kid, status: key.status, box: key.box, createdAt: key.createdAt, retiredAt: key.retiredAt };
}

function passphraseProblem(message: string): CharterError {
  return new CharterError('invalid_argument', message, [{ code: 'argument.passphrase', message, severity: 'error', pointer: '/passphrase' }]);
}

export function createBundleHandlers(options: BundleApiOptions): BundleHandlers {
  const host = options.host ?? workspaceFolderHost(options.workspacePath);
  const exportIn = options.exportInWorker ?? exportBundleInWorker;
  const verifyIn = options.verifyInWorker ?? verifyBundleInWorker;
  const running = new Map<string, AbortController>();
  const exports = new Map<string, { readonly path: string; readonly fileName: string }>();
  const opened = new Map<string, OpenedBundle>();

  const passphraseBox = (passphrase: string): SecretBox =>
    new PassphraseSecretBox(passphrase, options.passphraseCostLog2 === undefined ? {} : { costLog2: options.passphraseCostLog2 });
  const store = (box: SecretBox = passphraseBox('')): KeyStore => new KeyStore(options.db, box, options.audit ? { audit: options.audit } : {});

  /** The box that seals a NEW key here: the keychain when it protects secrets, else the passphrase. */
  const boxForNewKey = (passphrase: string | undefined): SecretBox => {
    const { box } = host.keychain();
    if (box) {
      if (passphrase !== undefined) throw passphraseProblem('This app seals signing keys in the system keychain; no passphrase is needed.');
      return box;
    }
    if (passphrase === undefined || passphrase.length < MIN_PASSPHRASE) {
      throw passphraseProblem(`Choose a passphrase of at least ${MIN_PASSPHRASE} characters to seal the signing key. Charter never stores it; you type it for each export.`);
    }
    return passphraseBox(passphrase);
  };

  /** Unlocks the active key with the box it was sealed by. */
  const unlock = async (passphrase: string | undefined): Promise<JwsSigner> => {
    const active = store().active();
    if (!active) throw new CharterError('not_found', 'No signing key yet: create one to export.');
    const { box: keychain } = host.keychain();
    let box: SecretBox;
    if (keychain && active.box === keychain.kind) box = keychain;
    else if (active.box === 'passphrase') {
      if (!passphrase) throw passphraseProblem('Type the passphrase of the signing key to sign this export.');
      box = passphraseBox(passphrase);
    } else {
      throw new CharterError('forbidden', `The signing key ${active.kid} is sealed by ${active.box}, which is not available here. Export from the app where the key was made, or rotate to a new key here.`);
    }
    try {
      return await store(box).signer();
    } catch (error) {
      if (isCharterError(error) && error.code === 'unauthorized' && active.box === 'passphrase') {
        throw passphraseProblem('That passphrase does not open the signing key. Type the passphrase it was created with.');
      }
      throw error;
    }
  };

  const claim = (operationId: string): AbortController => {
    if (running.has(operationId)) throw new CharterError('conflict', `Work "${operationId}" is already running.`);
    const controller = new AbortController();
    running.set(operationId, controller);
    return controller;
  };

  const keep = async (bundle: OpenedBundle): Promise<string> => {
    const handle = newId();
    opened.set(handle, bundle);
    while (opened.size > MAX_OPEN) {
      const [oldest, old] = opened.entries().next().value as [string, OpenedBundle];
      opened.delete(oldest);
      await old.close();
    }
    return handle;
  };

  const bundle = (handle: string): OpenedBundle => {
    const found = opened.get(handle);
    if (!found) throw new CharterError('not_found', 'That bundle is no longer open (only the last three stay open). Open it again.');
    return found;
  };

  /** Verifies a private copy, then indexes it; the copy's folder is removed unless it stays open. */
  const verifyCopy = async (
    source: { readonly path: string; readonly fileName: string; readonly move: boolean },
    operationId: string,
  ): Promise<{ readonly cancelled: boolean; readonly check: BundleCheck | null }> => {
    const controller = claim(operationId);
    const dir = OpenedBundle.workFolder();
    const copy = join(dir, 'bundle.charter');
    try {
      copyFileSync(source.path, copy);
      if (source.move) rmSync(source.path, { force: true });
      const bytes = statSync(copy).size;
      const trusted = store().trustedJwks();
      let verdict: BundleVerdict;
      try {
        verdict = await verifyIn(copy, {
          trusted,
          signal: controller.signal,
          onProgress: (p) => options.events.emit('progress', { operationId, done: p.bytes, total: p.total }),
        });
      } catch (error) {
        if (isCharterError(error) && error.code === 'cancelled') {
          rmSync(dir, { recursive: true, force: true });
          return { cancelled: true, check: null };
        }
        throw error;
      }
      if (!verdict.ok) {
        rmSync(dir, { recursive: true, force: true });
        const f = verdict.failure;
        return {
          cancelled: false,
          check: {
            ok: false, fileName: source.fileName, bytes,
            failure: { kind: f.kind, title: BUNDLE_FAILURE_TITLES[f.kind], message: f.message, file: f.file ?? null, seq: f.seq ?? null, kid: f.kid ?? null },
            advice: BUNDLE_ADVICE[f.kind],
          },
        };
      }
      const open = await OpenedBundle.open(dir, copy, source.fileName, verdict.bundle.manifest);
      const handle = await keep(open);
      return {
        cancelled: false,
        check: {
          ok: true, handle, fileName: source.fileName, bytes,
          signers: verdict.bundle.signers, untrustedSigners: verdict.bundle.untrustedSigners, summary: open.summary(),
        },
      };
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    } finally {
      running.delete(operationId);
    }
  };

  const status = (): KeyStatus => {
    const active = store().active();
    const keychain = host.keychain();
    const backend = keychain.box ? 'keychain' : 'passphrase';
    return {
      hasKey: active !== undefined,
      kid: active?.kid ?? null,
      keyBox: active?.box ?? null,
      backend,
      needsPassphrase: active ? active.box !== keychain.box?.kind : backend === 'passphrase',
      keychainProblem: keychain.problem,
    };
  };

  return {
    'keys.status': () => status(),
    'keys.create': async ({ passphrase }) => summaryOf(await store(boxForNewKey(passphrase)).create()),
    'keys.rotate': async ({ passphrase }) => summaryOf(await store(boxForNewKey(passphrase)).rotate()),
    'keys.list': () => {
      const keys = store();
      return {
        signing: keys.list().map(summaryOf),
        trusted: keys.trustedList().map(({ kid, label, addedAt }) => ({ kid, label, addedAt })),
        jwks: keys.publicJwks() as unknown as { readonly keys: readonly Readonly<Record<string, unknown>>[] },
      };
    },
    'keys.trust': async ({ jwks, label }) => {
      try {
        return await store().trust(jwks, label ?? '', 'the keys you pasted');
      } catch (error) {
        if (error instanceof TypeError) throw new CharterError('invalid_argument', error.message, [{ code: 'argument.jwks', message: error.message, severity: 'error', pointer: '/jwks' }]);
        throw error;
      }
    },
    'keys.untrust': ({ kid }) => {
      store().untrust(kid);
      return true;
    },

    'bundles.export': async ({ from, to, passphrase, operationId }) => {
      const signer = await unlock(passphrase);
      const started = performance.now();
      const now = new Date();
      const target = await host.chooseExportPath(suggestedBundleName(workspaceName(options.workspacePath), now));
      const fileName = target ? basename(target.path) : '';
      const empty: BundleExportResult = {
        cancelled: true, exportId: null, fileName, location: target?.location ?? '', bytes: 0, events: 0, firstSeq: 0, treeSize: 0,
        rootHash: '', kid: signer.kid, elapsedMs: 0,
      };
      if (!target) return empty;
      const controller = claim(operationId);
      let result: ExportResult;
      try {
        result = await exportIn(options.workspacePath, {
          out: target.path,
          from: from ?? null,
          to: to ?? null,
          signers: [signer],
          signal: controller.signal,
          onProgress: (p) => options.events.emit('progress', { operationId, done: p.done, total: p.total }),
        });
      } catch (error) {
        if (isCharterError(error) && error.code === 'cancelled') return { ...empty, elapsedMs: Math.round(performance.now() - started) };
        throw error;
      } finally {
        running.delete(operationId);
      }
      const m = result.manifest;
      options.audit?.append({
        type: 'bundle.exported',
        payload: { file: fileName, treeSize: m.checkpoint.treeSize, rootHash: m.checkpoint.rootHash, manifestSha256: result.manifestSha256, kid: signer.kid },
      });
      const exportId = newId();
      exports.set(exportId, { path: result.path, fileName });
      return {
        cancelled: false, exportId, fileName, location: target.location, bytes: result.bytes, events: m.counts.events,
        firstSeq: m.events.firstSeq, treeSize: m.checkpoint.treeSize, rootHash: m.checkpoint.rootHash, kid: signer.kid,
        elapsedMs: Math.round(performance.now() - started),
      };
    },

    'bundles.cancel': ({ operationId }) => {
      const controller = running.get(operationId);
      controller?.abort();
      return controller !== undefined;
    },

    'bundles.open': async ({ operationId, exportId, upload }) => {
      const started = performance.now();
      const done = (r: { readonly cancelled: boolean; readonly check: BundleCheck | null }) => ({ ...r, elapsedMs: Math.round(performance.now() - started) });
      if (exportId !== undefined) {
        const exported = exports.get(exportId);
        if (!exported) throw new CharterError('not_found', 'That export is not known here any more; open the file itself.');
        return done(await verifyCopy({ ...exported, move: false }, operationId));
      }
      if (upload !== undefined) {
        const received = options.uploads?.take(upload);
        if (!received) throw new CharterError('not_found', 'That upload is not waiting here (it may have expired); choose the file again.');
        return done(await verifyCopy({ path: received.path, fileName: received.fileName, move: true }, operationId));
      }
      const picked = await host.chooseBundle();
      if (picked === null) return done({ cancelled: true, check: null });
      return done(await verifyCopy({ path: picked, fileName: basename(picked), move: false }, operationId));
    },

    'bundles.browse': ({ handle, offset, limit, ...filter }) => bundle(handle).page(filter, offset, limit),
    'bundles.event': ({ handle, seq }) => bundle(handle).event(seq),
    'bundles.contract': ({ handle, name, version }) => bundle(handle).contract(name, version),
    'bundles.report': ({ handle }) => bundle(handle).report(),
    'bundles.close': async ({ handle }) => {
      const found = opened.get(handle);
      opened.delete(handle);
      await found?.close();
      return found !== undefined;
    },
  };
}
