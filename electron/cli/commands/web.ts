/** `charter web`: the workbench in a browser, served on 127.0.0.1 with a per-run token. */
import { startWeb } from '../../bridge/run-web.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

export const webCommand: Command = {
  name: 'web',
  summary: 'Serve the workbench on 127.0.0.1 (HTTP + WebSocket) with a random per-run token',
  details:
    'Listens on 127.0.0.1 only and prints the address to open, token included. Every request needs the\n' +
    'token; the page trades it for an HttpOnly cookie on first load. Serves the built renderer\n' +
    '(npm run build:web). Stops on Ctrl-C.',
  options: {
    port: { type: 'string', value: 'PORT', description: 'Port (default: a free one)' },
    host: { type: 'string', value: 'HOST', description: 'Only 127.0.0.1 is accepted; anything else is refused' },
    token: { type: 'string', value: 'TOKEN', description: 'Fixed token (tests only; default: 32 random bytes). Also $CHARTER_WEB_TOKEN' },
  },
  workspace: 'create',
  examples: ['charter web', 'charter web --db ./team.db --port 4873'],
  async run(ctx) {
    const workspace = await ctx.workspace();
    const web = await startWeb({
      engine: workspace,
      workspacePath: ctx.dbPath,
      host: ctx.options.string('host'),
      port: ctx.options.integer('port', { min: 0, max: 65535 }),
      token: ctx.options.string('token') ?? (ctx.env.CHARTER_WEB_TOKEN || undefined),
      // The page only ever sees "something went wrong"; the operator gets the detail here.
      onInternalError: (operation, error) =>
        ctx.out.error(`internal error in ${operation}: ${ctx.env.CHARTER_DEBUG === '1' ? ((error as Error)?.stack ?? String(error)) : ((error as Error)?.message ?? String(error))}`),
    });
    if (ctx.json) ctx.out.json({ url: web.bridge.url, origin: web.bridge.origin, staticDir: web.staticDir });
    else {
      ctx.out.line(`Charter web is serving ${ctx.dbPath}`);
      if (!web.staticDir) ctx.out.line('The renderer is not built, so only the API is served: run `npm run build:web` for the UI.');
      ctx.out.line(`Open: ${web.bridge.url}`);
      ctx.out.line('Press Ctrl-C to stop.');
    }
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await web.close();
    return ExitCode.ok;
  },
};
