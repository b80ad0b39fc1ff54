/** `charter bundle export|verify|inspect|import`: signed compliance bundles. */
import { basename, resolve } from 'node:path';
import { exportBundle } from '../../engine/bundles/export.ts';
import { openFileSource } from '../../engine/bundles/file-source.ts';
import { importBundle } from '../../engine/bundles/import.ts';
import { verifyBundleFile } from '../../engine/bundles/verify-file.ts';
import { KeyStore } from '../../engine/keys/key-store.ts';
import { PassphraseSecretBox } from '../../engine/keys/secret-box.ts';
import type { BundleFailure } from '../../../shared/bundle/failures.ts';
import { BUNDLE_EXIT_CODES, BUNDLE_FAILURE_TITLES, BundleRejection } from '../../../shared/bundle/failures.ts';
import type { Manifest } from '../../../shared/bundle/format.ts';
import { MANIFEST_FILE, SIGNATURES_FILE } from '../../../shared/bundle/format.ts';
import type { BundleVerdict, VerifiedBundle } from '../../../shared/bundle/verify.ts';
import { readEntryBytes, readZipEntries } from '../../../shared/bundle/zip-reader.ts';
import { TrustedKeys } from '../../../shared/merkle/jws.ts';
import type { Command, CommandContext } from '../command.ts';
import { CommandError, usageError } from '../command-error.ts';
import { ExitCode } from '../exit-codes.ts';
import { readJsonFile } from './keys.ts';
import { cliSecretBox } from './passphrase.ts';

export const bundleExportCommand: Command = {
  name: 'bundle export',
  summary: 'Export the audit trail (or a period of it) as a signed .charter bundle',
  details: 'Events at or after --from and before --to (ISO-8601), with the contracts, decisions, a report and a\n'
    + 'consistency proof from the previous export. Signed with the workspace key (made on first use);\n'
    + 'its passphrase comes from $CHARTER_PASSPHRASE or is asked for.',
  options: {
    out: { type: 'string', value: 'FILE', description: 'The bundle to write (required), e.g. q1.charter' },
    from: { type: 'string', value: 'ISO', description: 'First instant of the period (inclusive)' },
    to: { type: 'string', value: 'ISO', description: 'End of the period (exclusive)' },
  },
  maxArgs: 0,
  workspace: 'existing',
  examples: ['charter bundle export --from 2025-01-01 --to 2025-04-01 --out q1.charter'],
  async run(ctx) {
    const out = ctx.options.string('out');
    if (!out) throw usageError('charter bundle export needs --out FILE\nRun "charter bundle export --help" for usage.');
    const workspace = await ctx.workspace();
    const keys = new KeyStore(workspace.db, await cliSecretBox(ctx), { audit: workspace.auditLog });
    const signer = await keys.signer();
    const result = await exportBundle(workspace.db, {
      out: resolve(ctx.cwd, out),
      from: ctx.options.string('from') ?? null,
      to: ctx.options.string('to') ?? null,
      signers: [signer],
      signal: ctx.signal,
    });
    const m = result.manifest;
    workspace.auditLog.append({ type: 'bundle.exported', payload: { file: basename(out), treeSize: m.checkpoint.treeSize, rootHash: m.checkpoint.rootHash, manifestSha256: result.manifestSha256, kid: signer.kid } });
    if (ctx.json) {
      ctx.out.json({ file: out, bytes: result.bytes, events: m.counts.events, firstSeq: m.events.firstSeq, checkpoint: m.checkpoint, previous: m.previous, kid: signer.kid });
    } else {
      ctx.out.line(`${ctx.out.style.green('✓')} wrote ${out}: ${eventRange(m)}, ${result.bytes} bytes`);
      ctx.out.line(`  root hash ${m.checkpoint.rootHash}`);
      ctx.out.line(`  signed by ${signer.kid}${m.previous ? `; proves it extends the export at ${m.previous.treeSize} events` : ''}`);
    }
    return ExitCode.ok;
  },
};

function eventRange(m: Manifest): string {
  if (m.counts.events === 0) return `no events (the trail had ${m.checkpoint.treeSize})`;
  return `${m.counts.events} event${m.counts.events === 1 ? '' : 's'} (${m.events.firstSeq}–${m.checkpoint.treeSize})`;
}

async function trustedKeys(ctx: CommandContext): Promise<TrustedKeys> {
  const file = ctx.options.string('trusted');
  if (file) {
    try {
      return await TrustedKeys.fromJwks(readJsonFile(file, 'JWKS', ctx.cwd), file);
    } catch (error) {
      if (error instanceof TypeError) throw new CommandError(ExitCode.input, error.message);
      throw error;
    }
  }
  const workspace = await ctx.workspace();
  return new KeyStore(workspace.db, new PassphraseSecretBox('')).trustedKeys();
}

async function verifyFile(path: string, trusted: TrustedKeys, threshold: number, previous?: VerifiedBundle, signal?: AbortSignal): Promise<BundleVerdict> {
  return verifyBundleFile(path, { trusted, threshold, ...(previous ? { previous } : {}), ...(signal ? { signal } : {}) });
}

function refused(ctx: CommandContext, file: string, failure: BundleFailure): number {
  const code = BUNDLE_EXIT_CODES[failure.kind];
  if (ctx.json) ctx.out.json({ ok: false, file, failure: { ...failure, title: BUNDLE_FAILURE_TITLES[failure.kind] }, exitCode: code });
  else ctx.out.line(`${ctx.out.style.red('✗')} ${file}: ${BUNDLE_FAILURE_TITLES[failure.kind]} — ${failure.message}`);
  return code;
}

export const bundleVerifyCommand: Command = {
  name: 'bundle verify',
  summary: 'Verify a bundle offline: signatures, every file, every event, and that it extends --previous',
  details: 'Trusts only the keys of --trusted (a JWKS file), else this workspace\'s trusted keys — never keys\n'
    + 'in the bundle. Exit codes: 10 signature, 11 untrusted key, 12 tampered file, 13 missing file,\n'
    + '14 extra file, 15 event hash mismatch, 16 broken consistency, 17 malformed or unsafe archive,\n'
    + '18 unsupported format version (docs/bundles.md).',
  args: 'FILE',
  minArgs: 1,
  maxArgs: 1,
  options: {
    trusted: { type: 'string', value: 'JWKS', description: 'Trust only the keys in this JWKS file' },
    previous: { type: 'string', value: 'FILE', description: 'An earlier bundle of the same workspace this one must extend' },
    threshold: { type: 'string', value: 'N', description: 'Require signatures by N distinct trusted keys (default 1)' },
  },
  workspace: 'existing',
  examples: ['charter bundle verify q2.charter --trusted team.jwks.json --previous q1.charter'],
  async run(ctx) {
    const file = ctx.positionals[0] as string;
    const threshold = ctx.options.integer('threshold', { min: 1, max: 64 }) ?? 1;
    const trusted = await trustedKeys(ctx);
    let previous: VerifiedBundle | undefined;
    const previousFile = ctx.options.string('previous');
    if (previousFile) {
      const earlier = await verifyFile(resolve(ctx.cwd, previousFile), trusted, threshold, undefined, ctx.signal);
      if (!earlier.ok) return refused(ctx, previousFile, earlier.failure);
      previous = earlier.bundle;
    }
    const verdict = await verifyFile(resolve(ctx.cwd, file), trusted, threshold, previous, ctx.signal);
    if (!verdict.ok) return refused(ctx, file, verdict.failure);
    const { manifest: m, signers, untrustedSigners } = verdict.bundle;
    if (ctx.json) {
      ctx.out.json({ ok: true, file, workspace: m.workspace, period: m.period, events: m.counts.events, checkpoint: m.checkpoint, signers, untrustedSigners, consistency: verdict.bundle.consistency });
      return ExitCode.ok;
    }
    const { style } = ctx.out;
    ctx.out.line(`${style.green('✓')} ${file}: verified — ${eventRange(m)} of workspace ${m.workspace.name}`);
    ctx.out.line(`  root hash ${m.checkpoint.rootHash}`);
    ctx.out.line(`  signed by ${signers.join(', ')}${untrustedSigners.length ? style.dim(` (ignored untrusted: ${untrustedSigners.join(', ')})`) : ''}`);
    if (previousFile) ctx.out.line(`  extends ${previousFile} (tree size ${previous?.manifest.checkpoint.treeSize})`);
    return ExitCode.ok;
  },
};

export const bundleInspectCommand: Command = {
  name: 'bundle inspect',
  summary: 'Show what a bundle claims, WITHOUT verifying it',
  args: 'FILE',
  minArgs: 1,
  maxArgs: 1,
  workspace: 'none',
  async run(ctx) {
    const file = ctx.positionals[0] as string;
    const source = await openFileSource(resolve(ctx.cwd, file));
    try {
      const entries = await readZipEntries(source);
      const read = async (name: string): Promise<unknown> => {
        const entry = entries.find((e) => e.name === name && e.method === 0 && e.size < 16 * 1024 * 1024);
        if (!entry) return undefined;
        try {
          return JSON.parse(Buffer.from(await readEntryBytes(source, entry)).toString('utf8')) as unknown;
        } catch {
          return undefined;
        }
      };
      const manifest = (await read(MANIFEST_FILE)) as Record<string, unknown> | undefined;
      const sigs = ((await read(SIGNATURES_FILE)) as { signatures?: unknown } | undefined)?.signatures;
      const claimedKids = Array.isArray(sigs) ? sigs.map(claimedKid) : [];
      if (ctx.json) {
        ctx.out.json({ verified: false, entries: entries.map((e) => ({ name: e.name, size: e.size, packedSize: e.packedSize })), manifest: manifest ?? null, claimedKids });
        return ExitCode.ok;
      }
      const { style } = ctx.out;
      ctx.out.line(style.yellow(`${file}: NOT VERIFIED — what the bundle claims; run "charter bundle verify" to check it`));
      if (!manifest) ctx.out.line('  no readable manifest.json');
      else {
        const m = manifest as { formatVersion?: unknown; workspace?: { name?: unknown; id?: unknown }; period?: { from?: unknown; to?: unknown };
          counts?: { events?: unknown; decisionsByOutcome?: unknown }; checkpoint?: { treeSize?: unknown; rootHash?: unknown }; contracts?: unknown };
        ctx.out.line(`  format version ${String(m.formatVersion)}`);
        ctx.out.line(`  workspace      ${String(m.workspace?.name)} (${String(m.workspace?.id)})`);
        ctx.out.line(`  period         ${String(m.period?.from ?? 'start')} — ${String(m.period?.to ?? 'end')}`);
        ctx.out.line(`  events         ${String(m.counts?.events)}; decisions ${JSON.stringify(m.counts?.decisionsByOutcome ?? {})}`);
        ctx.out.line(`  checkpoint     ${String(m.checkpoint?.treeSize)} events, root ${String(m.checkpoint?.rootHash)}`);
        if (Array.isArray(m.contracts)) ctx.out.line(`  contracts      ${m.contracts.map((c: { name?: unknown; version?: unknown }) => `${String(c.name)}@${String(c.version)}`).join(', ')}`);
      }
      ctx.out.line(`  signatures     ${claimedKids.length ? claimedKids.join(', ') : 'none'} (claimed kids)`);
      for (const e of entries) ctx.out.line(style.dim(`  ${e.name} ${e.size} bytes`));
      return ExitCode.ok;
    } catch (error) {
      if (error instanceof BundleRejection) {
        ctx.out.error(`${file}: ${error.failure.message}`);
        return BUNDLE_EXIT_CODES[error.failure.kind];
      }
      throw error;
    } finally {
      await source.close();
    }
  },
};

function claimedKid(jws: unknown): string {
  if (typeof jws !== 'string') return '?';
  try {
    const header = JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : '?';
  } catch {
    return '?';
  }
}

export const bundleImportCommand: Command = {
  name: 'bundle import',
  summary: 'Verify a bundle, then extract it into an empty folder (and nowhere else)',
  args: 'FILE',
  minArgs: 1,
  maxArgs: 1,
  options: {
    into: { type: 'string', value: 'DIR', description: 'The folder to extract into (required; new or empty)' },
    trusted: { type: 'string', value: 'JWKS', description: 'Trust only the keys in this JWKS file' },
    threshold: { type: 'string', value: 'N', description: 'Require signatures by N distinct trusted keys (default 1)' },
  },
  workspace: 'existing',
  async run(ctx) {
    const file = ctx.positionals[0] as string;
    const into = ctx.options.string('into');
    if (!into) throw usageError('charter bundle import needs --into DIR');
    const threshold = ctx.options.integer('threshold', { min: 1, max: 64 }) ?? 1;
    const result = await importBundle(resolve(ctx.cwd, file), resolve(ctx.cwd, into), { trusted: await trustedKeys(ctx), threshold });
    if (!result.verdict.ok) return refused(ctx, file, result.verdict.failure);
    if (ctx.json) ctx.out.json({ ok: true, into, files: result.files });
    else ctx.out.line(`${ctx.out.style.green('✓')} verified and extracted ${result.files.length} files into ${into}`);
    return ExitCode.ok;
  },
};
