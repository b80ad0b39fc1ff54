import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEvent } from '../../../shared/audit.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatEvent } from '../format/audit.ts';

const POLL_MS = 500;
const PAGE = 1000;

export const auditTailCommand: Command = {
  name: 'audit tail',
  summary: 'Show the latest audit events; --follow to keep watching',
  details: 'Prints the last N events, oldest first. With --follow, keeps printing new events until Ctrl-C.\n' +
    'With --json: a JSON array, or one JSON object per line (NDJSON) when following.',
  options: {
    lines: { type: 'string', short: 'n', value: 'N', description: 'How many events (default 20, at most 1000)' },
    follow: { type: 'boolean', short: 'f', description: 'Keep printing events as they are appended' },
  },
  maxArgs: 0,
  workspace: 'existing',
  examples: ['charter audit tail -n 50', 'charter audit tail --follow --json | jq .type'],
  async run(ctx) {
    const count = ctx.options.integer('lines', { min: 1, max: PAGE }) ?? 20;
    const follow = ctx.options.flag('follow');
    const workspace = await ctx.workspace();
    const latest = workspace.audit.query({ limit: count, order: 'desc' }).slice().reverse();
    const print = (events: readonly AuditEvent[]): void => {
      for (const event of events) ctx.out.line(ctx.json ? JSON.stringify(event) : formatEvent(event, ctx.out.style));
    };
    if (!follow) {
      if (ctx.json) ctx.out.json(latest);
      else if (latest.length === 0) ctx.out.line('the audit trail is empty');
      else print(latest);
      return ExitCode.ok;
    }
    print(latest);
    let last = latest.at(-1)?.seq ?? workspace.audit.head().seq;
    while (!ctx.signal.aborted) {
      try {
        await sleep(POLL_MS, undefined, { signal: ctx.signal });
      } catch {
        break;
      }
      const fresh = workspace.audit.query({ afterSeq: last, limit: PAGE, order: 'asc' });
      print(fresh);
      last = fresh.at(-1)?.seq ?? last;
    }
    return ExitCode.ok;
  },
};
