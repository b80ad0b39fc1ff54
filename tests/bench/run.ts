/**
 * `npm run bench [-- --quick] [-- --json]`: every benchmark section side by side with its
 * reference, printing ratios. Each section lives in ./sections and returns named figures.
 */
import { sections } from './sections/index.ts';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const json = args.has('--json');
const only = process.argv.slice(2).find((a) => a.startsWith('--only='))?.slice('--only='.length);

const figures: Record<string, number | string> = {};
for (const section of sections) {
  if (only && section.name !== only) continue;
  const started = performance.now();
  if (!json) console.log(`\n== ${section.name} ==`);
  const result = await section.run({ quick, log: json ? () => {} : (line: string) => console.log(line) });
  Object.assign(figures, result);
  if (!json) console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
if (json) console.log(JSON.stringify(figures));
else {
  console.log('\n== figures ==');
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(36)} ${v}`);
}
