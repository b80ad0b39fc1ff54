#!/usr/bin/env node
// The `charter` command. Runs the TypeScript sources directly through tsx, so it works right
// after `npm ci` on a fresh clone with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
