import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: 'Verify the audit trail\'s hash chain; name the first bad event',
  details: 'Recomputes every event\'s digest from its header and the previous digest. Exit 1 when the chain is\n' +
    'broken, naming the first event that does not verify.',
  maxArgs: 0,
  workspace: 'existing',
  examples: ['charter audit verify --db team.db', 'charter audit verify --json'],
  async run(ctx) {
    const workspace = await ctx.workspace();
    const result = await workspace.audit.verify({ signal: ctx.signal });
    if (ctx.json) {
      ctx.out.json(result);
      return result.ok ? ExitCode.ok : ExitCode.checkFailed;
    }
    const { style } = ctx.out;
    if (result.ok) {
      ctx.out.line(`${style.green('✓')} audit trail intact: ${result.eventsChecked} event${result.eventsChecked === 1 ? '' : 's'} verified, head ${result.headDigest.slice(0, 16)}…`);
      return ExitCode.ok;
    }
    const bad = result.firstBad;
    ctx.out.line(`${style.red('✗')} audit trail broken at event #${bad?.seq ?? '?'}: ${bad?.problem ?? 'unknown problem'}`);
    ctx.out.line(style.dim(`  ${result.eventsChecked} event${result.eventsChecked === 1 ? '' : 's'} checked before the break`));
    return ExitCode.checkFailed;
  },
};
