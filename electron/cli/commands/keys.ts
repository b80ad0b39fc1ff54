/** `charter keys …`: the workspace's signing keys and the public keys it trusts. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KeyStore } from '../../engine/keys/key-store.ts';
import { PassphraseSecretBox } from '../../engine/keys/secret-box.ts';
import type { Command, CommandContext } from '../command.ts';
import { CommandError } from '../command-error.ts';
import { ExitCode } from '../exit-codes.ts';
import { table } from '../format/table.ts';
import { readInputFile } from '../input.ts';
import { cliSecretBox } from './passphrase.ts';

async function keyStore(ctx: CommandContext, needsSecret: boolean): Promise<KeyStore> {
  const workspace = await ctx.workspace();
  const box = needsSecret ? await cliSecretBox(ctx) : new PassphraseSecretBox('');
  return new KeyStore(workspace.db, box, { audit: workspace.auditLog });
}

const PASSPHRASE_NOTE = 'The private key is sealed with a passphrase: $CHARTER_PASSPHRASE, or typed when asked.';

export const keysListCommand: Command = {
  name: 'keys list',
  summary: 'List this workspace\'s signing keys and the keys it trusts',
  maxArgs: 0,
  workspace: 'existing',
  async run(ctx) {
    const keys = await keyStore(ctx, false);
    const own = keys.list();
    const trusted = keys.trustedList();
    if (ctx.json) {
      ctx.out.json({ signing: own.map(({ publicJwk: _p, ...k }) => k), trusted: trusted.map(({ publicJwk: _p, ...k }) => k) });
      return ExitCode.ok;
    }
    ctx.out.line(ctx.out.style.bold('signing keys'));
    if (own.length === 0) ctx.out.line('  none yet; "charter keys create" makes one (bundle export makes one on first use)');
    else for (const l of table(['KID', 'STATUS', 'CREATED', 'RETIRED'], own.map((k) => [k.kid, k.status, k.createdAt, k.retiredAt ?? '']), ctx.out.style)) ctx.out.line(`  ${l}`);
    ctx.out.line(ctx.out.style.bold('trusted keys'));
    if (trusted.length === 0) ctx.out.line('  none; "charter keys trust FILE" adds a JWKS');
    else for (const l of table(['KID', 'LABEL', 'ADDED'], trusted.map((k) => [k.kid, k.label, k.addedAt]), ctx.out.style)) ctx.out.line(`  ${l}`);
    return ExitCode.ok;
  },
};

export const keysCreateCommand: Command = {
  name: 'keys create',
  summary: 'Make this workspace\'s Ed25519 signing key',
  details: PASSPHRASE_NOTE,
  maxArgs: 0,
  workspace: 'create',
  async run(ctx) {
    const key = await (await keyStore(ctx, true)).create();
    if (ctx.json) ctx.out.json({ kid: key.kid, status: key.status, createdAt: key.createdAt });
    else ctx.out.line(`created signing key ${ctx.out.style.bold(key.kid)}`);
    return ExitCode.ok;
  },
};

export const keysRotateCommand: Command = {
  name: 'keys rotate',
  summary: 'Replace the signing key; the old one is kept, retired, so what it signed still verifies',
  details: PASSPHRASE_NOTE,
  maxArgs: 0,
  workspace: 'existing',
  async run(ctx) {
    const keys = await keyStore(ctx, true);
    const before = keys.active();
    const key = await keys.rotate();
    if (ctx.json) ctx.out.json({ kid: key.kid, retired: before?.kid ?? null });
    else ctx.out.line(`signing key is now ${ctx.out.style.bold(key.kid)}${before ? ` (${before.kid} retired)` : ''}`);
    return ExitCode.ok;
  },
};

export const keysExportPublicCommand: Command = {
  name: 'keys export-public',
  summary: 'Print (or write) the public signing keys as a JWKS, for verifiers to trust',
  options: { out: { type: 'string', value: 'FILE', description: 'Write the JWKS to FILE instead of stdout' } },
  maxArgs: 0,
  workspace: 'existing',
  examples: ['charter keys export-public --out team.jwks.json'],
  async run(ctx) {
    const jwks = (await keyStore(ctx, false)).publicJwks();
    const out = ctx.options.string('out');
    if (out) {
      writeFileSync(resolve(ctx.cwd, out), `${JSON.stringify(jwks, null, 2)}\n`);
      if (!ctx.json) ctx.out.line(`wrote ${jwks.keys.length} public key${jwks.keys.length === 1 ? '' : 's'} to ${out}`);
      else ctx.out.json({ file: out, keys: jwks.keys.length });
    } else {
      ctx.out.json(jwks);
    }
    return ExitCode.ok;
  },
};

export const keysTrustCommand: Command = {
  name: 'keys trust',
  summary: 'Trust the Ed25519 public keys of a JWKS (or single JWK) file',
  args: 'FILE',
  minArgs: 1,
  maxArgs: 1,
  options: { label: { type: 'string', value: 'TEXT', description: 'A note on whose keys these are' } },
  workspace: 'existing',
  async run(ctx) {
    const file = ctx.positionals[0] as string;
    const parsed = readJsonFile(file, 'JWKS', ctx.cwd);
    let kids: readonly string[];
    try {
      kids = await (await keyStore(ctx, false)).trust(parsed, ctx.options.string('label') ?? '', file);
    } catch (error) {
      if (error instanceof TypeError) throw new CommandError(ExitCode.input, error.message);
      throw error;
    }
    if (ctx.json) ctx.out.json({ trusted: kids });
    else for (const kid of kids) ctx.out.line(`trusted ${ctx.out.style.bold(kid)}`);
    return ExitCode.ok;
  },
};

export const keysUntrustCommand: Command = {
  name: 'keys untrust',
  summary: 'Stop trusting a key',
  args: 'KID',
  minArgs: 1,
  maxArgs: 1,
  workspace: 'existing',
  async run(ctx) {
    const kid = ctx.positionals[0] as string;
    (await keyStore(ctx, false)).untrust(kid);
    if (ctx.json) ctx.out.json({ untrusted: kid });
    else ctx.out.line(`no longer trusting ${kid}`);
    return ExitCode.ok;
  },
};

/** Reads a JSON file the user named; unreadable or malformed files exit with code 3. */
export function readJsonFile(file: string, kind: string, cwd: string): unknown {
  const text = readInputFile(file, kind, cwd);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CommandError(ExitCode.input, `${file}: not JSON (${(error as Error).message})`);
  }
}
