import type { ContractVersion } from '../../../shared/domain.ts';
import type { Command, CommandContext } from '../command.ts';
import { CommandError, usageError } from '../command-error.ts';
import { ExitCode } from '../exit-codes.ts';
import { displayPath } from '../format/paths.ts';
import { table } from '../format/table.ts';
import { readInputFile } from '../input.ts';

export const contractsListCommand: Command = {
  name: 'contracts list',
  summary: 'List contracts with their active and latest versions',
  maxArgs: 0,
  workspace: 'existing',
  async run(ctx) {
    const contracts = (await ctx.workspace()).contracts.list();
    if (ctx.json) ctx.out.json(contracts);
    else if (contracts.length === 0) ctx.out.line('no contracts yet; add one with "charter contracts add FILE"');
    else {
      const rows = contracts.map((c) => [c.name, c.activeVersion === null ? '-' : `v${c.activeVersion}`, `v${c.latestVersion}`, c.hasDraft ? 'yes' : 'no', c.description]);
      for (const line of table(['NAME', 'ACTIVE', 'LATEST', 'DRAFT', 'DESCRIPTION'], rows, ctx.out.style)) ctx.out.line(line);
    }
    return ExitCode.ok;
  },
};

export const contractsAddCommand: Command = {
  name: 'contracts add',
  summary: 'Save a contract file as a draft (a new contract, or a new version of one)',
  args: 'FILE',
  minArgs: 1,
  maxArgs: 1,
  details: 'The draft\'s parent is the contract\'s latest version, or the --parent hash you give; if the\n' +
    'contract changed since that version, the save is refused as a conflict (exit 5).',
  options: {
    parent: { type: 'string', value: 'HASH', description: 'Hash of the version this edit started from' },
  },
  workspace: 'create',
  examples: ['charter contracts add policies/examples/support-assistant.yaml', 'charter contracts publish support-assistant 1'],
  async run(ctx) {
    const file = ctx.positionals[0]!;
    const source = readInputFile(file, 'contract', ctx.cwd);
    const workspace = await ctx.workspace();
    const parsed = workspace.contracts.validate(source, displayPath(file, ctx.cwd));
    if (!parsed.ok) throw new CommandError(ExitCode.checkFailed, `${file}: the contract is invalid`, parsed.diagnostics);
    const name = parsed.contract.metadata.name;
    const parent = ctx.options.string('parent') ?? workspace.contracts.versions(name).at(-1)?.hash ?? null;
    const version = workspace.contracts.saveDraft(source, parent);
    if (ctx.json) ctx.out.json(version);
    else ctx.out.line(`saved ${ctx.out.style.bold(`${name} v${version.version}`)} as ${version.status} (${version.hash.slice(0, 12)})`);
    return ExitCode.ok;
  },
};

function transition(name: 'publish' | 'activate' | 'rollback', summary: string, verb: string): Command {
  return {
    name: `contracts ${name}`,
    summary,
    args: 'NAME VERSION',
    minArgs: 2,
    maxArgs: 2,
    workspace: 'existing',
    examples: [`charter contracts ${name} support-assistant ${name === 'rollback' ? 1 : 2}`],
    async run(ctx) {
      const [contract, version] = nameAndVersion(ctx);
      const contracts = (await ctx.workspace()).contracts;
      const result = name === 'publish' ? contracts.publish(contract, version) : name === 'activate' ? contracts.activate(contract, version) : contracts.rollback(contract, version);
      if (ctx.json) ctx.out.json(result);
      else ctx.out.line(`${verb} ${ctx.out.style.bold(`${contract} v${result.version}`)}: now ${result.status}`);
      return ExitCode.ok;
    },
  };
}

export const contractsPublishCommand = transition('publish', 'Publish a draft (it becomes immutable)', 'published');
export const contractsActivateCommand = transition('activate', 'Make a published version the active one', 'activated');
export const contractsRollbackCommand = transition('rollback', 'Make an earlier version active again', 'rolled back to');

export const contractsVersionsCommand: Command = {
  name: 'contracts versions',
  summary: 'List a contract\'s versions',
  args: 'NAME',
  minArgs: 1,
  maxArgs: 1,
  workspace: 'existing',
  async run(ctx) {
    const name = ctx.positionals[0]!;
    const versions = (await ctx.workspace()).contracts.versions(name);
    if (versions.length === 0) throw new CommandError(ExitCode.refused, `no contract named ${name} in this workspace`);
    if (ctx.json) ctx.out.json(versions.map(withoutSource));
    else {
      const rows = versions.map((v) => [`v${v.version}`, v.status, v.hash.slice(0, 12), v.parentHash?.slice(0, 12) ?? '-', v.createdAt, v.publishedAt ?? '-']);
      for (const line of table(['VERSION', 'STATUS', 'HASH', 'PARENT', 'CREATED', 'PUBLISHED'], rows, ctx.out.style)) ctx.out.line(line);
    }
    return ExitCode.ok;
  },
};

export const contractsShowCommand: Command = {
  name: 'contracts show',
  summary: 'Print a contract version\'s YAML (the active one unless VERSION is given)',
  args: 'NAME [VERSION]',
  minArgs: 1,
  maxArgs: 2,
  workspace: 'existing',
  async run(ctx) {
    const name = ctx.positionals[0]!;
    const version = ctx.positionals[1] === undefined ? undefined : versionArg(ctx.positionals[1]);
    const found = (await ctx.workspace()).contracts.get(name, version);
    if (!found) {
      throw new CommandError(ExitCode.refused, version === undefined ? `contract ${name} has no active version` : `contract ${name} has no version ${version}`);
    }
    if (ctx.json) ctx.out.json(found);
    else {
      ctx.out.error(ctx.out.errStyle.dim(`# ${found.contract} v${found.version} (${found.status}), sha256 ${found.hash}`));
      ctx.out.line(found.source.replace(/\n$/, ''));
    }
    return ExitCode.ok;
  },
};

function nameAndVersion(ctx: CommandContext): [string, number] {
  return [ctx.positionals[0]!, versionArg(ctx.positionals[1]!)];
}

function versionArg(text: string): number {
  const n = Number(text.replace(/^v/, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw usageError(`VERSION must be a positive integer such as 2 (got "${text}")`);
  return n;
}

function withoutSource(version: ContractVersion): Omit<ContractVersion, 'source'> {
  const { source: _source, ...rest } = version;
  return rest;
}
