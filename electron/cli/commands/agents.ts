import type { Agent, Maturity } from '../../../shared/domain.ts';
import { isMaturity, MATURITY_LEVELS } from '../../../shared/domain.ts';
import type { Command } from '../command.ts';
import { CommandError, usageError } from '../command-error.ts';
import { ExitCode } from '../exit-codes.ts';
import { table } from '../format/table.ts';
import type { Styler } from '../output.ts';

export const agentsListCommand: Command = {
  name: 'agents list',
  summary: 'List the workspace\'s agents',
  maxArgs: 0,
  workspace: 'existing',
  async run(ctx) {
    const agents = (await ctx.workspace()).agents.list();
    if (ctx.json) ctx.out.json(agents);
    else if (agents.length === 0) ctx.out.line('no agents yet; create one with "charter agents create"');
    else {
      const rows = agents.map((a) => [a.id, a.name, a.role, a.maturity, a.confidence.toFixed(2), a.contract ?? '(workspace default)']);
      for (const line of table(['ID', 'NAME', 'ROLE', 'MATURITY', 'CONFIDENCE', 'CONTRACT'], rows, ctx.out.style)) ctx.out.line(line);
    }
    return ExitCode.ok;
  },
};

export const agentsCreateCommand: Command = {
  name: 'agents create',
  summary: 'Create an agent',
  options: {
    id: { type: 'string', value: 'ID', description: 'Agent id (lowercase; default: generated)' },
    name: { type: 'string', value: 'NAME', description: 'Display name (required)' },
    role: { type: 'string', value: 'ROLE', description: 'Role that contract rules select on (required)' },
    maturity: { type: 'string', value: 'LEVEL', description: `Maturity: ${MATURITY_LEVELS.join(', ')} (default student)` },
    contract: { type: 'string', value: 'NAME', description: 'Contract that governs it (default: the workspace default)' },
  },
  maxArgs: 0,
  workspace: 'create',
  examples: ['charter agents create --id sue --name Sue --role support-agent --maturity supervised --contract support-assistant'],
  async run(ctx) {
    const name = ctx.options.string('name');
    const role = ctx.options.string('role');
    if (!name || !role) throw usageError('charter agents create needs --name NAME and --role ROLE\nRun "charter agents create --help" for usage.');
    const id = ctx.options.string('id');
    const contract = ctx.options.string('contract');
    const agent = (await ctx.workspace()).agents.create({
      ...(id !== undefined ? { id } : {}),
      name,
      role,
      maturity: maturityArg(ctx.options.string('maturity') ?? 'student'),
      ...(contract !== undefined ? { contract } : {}),
    });
    if (ctx.json) ctx.out.json(agent);
    else ctx.out.line(`created agent ${ctx.out.style.bold(agent.id)} (${agent.role}, ${agent.maturity})`);
    return ExitCode.ok;
  },
};

export const agentsSetMaturityCommand: Command = {
  name: 'agents set-maturity',
  summary: 'Promote or demote an agent',
  args: 'ID LEVEL',
  minArgs: 2,
  maxArgs: 2,
  workspace: 'existing',
  examples: ['charter agents set-maturity sue autonomous'],
  async run(ctx) {
    const [id, level] = ctx.positionals as [string, string];
    const workspace = await ctx.workspace();
    const before = requireAgent(workspace.agents.get(id), id);
    const agent = workspace.agents.update(id, { maturity: maturityArg(level) });
    if (ctx.json) ctx.out.json(agent);
    else ctx.out.line(`agent ${ctx.out.style.bold(agent.id)}: ${before.maturity} → ${agent.maturity}`);
    return ExitCode.ok;
  },
};

export const agentsShowCommand: Command = {
  name: 'agents show',
  summary: 'Show one agent',
  args: 'ID',
  minArgs: 1,
  maxArgs: 1,
  workspace: 'existing',
  async run(ctx) {
    const id = ctx.positionals[0]!;
    const agent = requireAgent((await ctx.workspace()).agents.get(id), id);
    if (ctx.json) ctx.out.json(agent);
    else for (const line of describeAgent(agent, ctx.out.style)) ctx.out.line(line);
    return ExitCode.ok;
  },
};

function describeAgent(agent: Agent, style: Styler): string[] {
  return [
    `${style.bold(agent.name)} (${agent.id})`,
    `  role        ${agent.role}`,
    `  maturity    ${agent.maturity}`,
    `  confidence  ${agent.confidence.toFixed(2)}`,
    `  contract    ${agent.contract ?? '(workspace default)'}`,
    `  created     ${agent.createdAt}`,
    `  updated     ${agent.updatedAt}`,
  ];
}

function maturityArg(value: string): Maturity {
  if (!isMaturity(value)) throw usageError(`maturity must be one of ${MATURITY_LEVELS.join(', ')} (got "${value}")`);
  return value;
}

function requireAgent(agent: Agent | undefined, id: string): Agent {
  if (!agent) throw new CommandError(ExitCode.refused, `no agent with id ${id} in this workspace`);
  return agent;
}
