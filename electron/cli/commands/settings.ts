import type { Command, CommandContext } from '../command.ts';
import { usageError } from '../command-error.ts';
import { ExitCode } from '../exit-codes.ts';

function nullableSetting(name: 'default-agent' | 'default-contract', what: string): Command {
  return {
    name: `settings ${name}`,
    summary: `Show or set the workspace ${what}`,
    args: `[${name === 'default-agent' ? 'ID' : 'NAME'}]`,
    maxArgs: 1,
    options: { clear: { type: 'boolean', description: `Unset the ${what}` } },
    workspace: 'create',
    examples: [`charter settings ${name}`, `charter settings ${name} ${name === 'default-agent' ? 'sue' : 'support-assistant'}`, `charter settings ${name} --clear`],
    async run(ctx) {
      const settings = (await ctx.workspace()).settings;
      const value = ctx.positionals[0];
      const clear = ctx.options.flag('clear');
      if (value !== undefined && clear) throw usageError(`give a value or --clear, not both`);
      if (value !== undefined || clear) {
        if (name === 'default-agent') settings.setDefaultAgent(value ?? null);
        else settings.setDefaultContract(value ?? null);
      }
      const current = name === 'default-agent' ? settings.defaultAgentId() : settings.defaultContract();
      if (ctx.json) ctx.out.json({ [name === 'default-agent' ? 'defaultAgent' : 'defaultContract']: current });
      else ctx.out.line(`${what}: ${current ?? '(none)'}`);
      return ExitCode.ok;
    },
  };
}

export const settingsDefaultAgentCommand = nullableSetting('default-agent', 'default agent');
export const settingsDefaultContractCommand = nullableSetting('default-contract', 'default contract');

export const settingsFlagCommand: Command = {
  name: 'settings flag',
  summary: 'Show workspace flags, or switch one on or off (emergencyBypass)',
  args: '[NAME [on|off]]',
  maxArgs: 2,
  workspace: 'create',
  details: 'emergencyBypass on skips every check and allows every request; each such decision is audited\n' +
    'as a bypass. Use it only to keep a critical flow alive, and switch it off again.',
  examples: ['charter settings flag', 'charter settings flag emergencyBypass on'],
  async run(ctx) {
    const settings = (await ctx.workspace()).settings;
    const [name, value] = ctx.positionals;
    if (name !== undefined) {
      const known = Object.keys(settings.flags());
      if (!known.includes(name)) throw usageError(`unknown flag "${name}"; known flags: ${known.join(', ')}`);
      if (value !== undefined) settings.setFlag(name as 'emergencyBypass', onOff(value));
    }
    const flags = settings.flags();
    if (ctx.json) ctx.out.json(name === undefined ? flags : { [name]: flags[name as 'emergencyBypass'] });
    else printFlags(ctx, { ...flags }, name);
    return ExitCode.ok;
  },
};

function printFlags(ctx: CommandContext, flags: Readonly<Record<string, boolean>>, only: string | undefined): void {
  for (const [flag, on] of Object.entries(flags)) {
    if (only !== undefined && flag !== only) continue;
    const shown = on ? (flag === 'emergencyBypass' ? ctx.out.style.red('on') : 'on') : 'off';
    ctx.out.line(`${flag}: ${shown}`);
  }
}

function onOff(value: string): boolean {
  if (['on', 'true', 'yes', '1'].includes(value)) return true;
  if (['off', 'false', 'no', '0'].includes(value)) return false;
  throw usageError(`flag value must be on or off (got "${value}")`);
}
