import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTRACT_DIAGNOSTIC_CODES } from '../../../shared/contract/codes.ts';
import { formatDiagnostic } from '../../../shared/errors.ts';
import { GOOD, parse } from './helpers.ts';

const DOC = readFileSync(new URL('../../../docs/contracts.md', import.meta.url), 'utf8');
const yamlBlocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe('docs/contracts.md', () => {
  it('shows the tested full example verbatim', () => {
    expect(yamlBlocks).toContain(GOOD);
  });

  it('every example contract in it is valid', () => {
    const examples = yamlBlocks.filter((b) => b.startsWith('apiVersion:'));
    expect(examples.length).toBeGreaterThanOrEqual(10);
    for (const example of examples) {
      const result = parse(example);
      expect(result.ok, `${example}\n${result.diagnostics.map(formatDiagnostic).join('\n')}`).toBe(true);
    }
  });

  it('lists every diagnostic code', () => {
    for (const code of Object.keys(CONTRACT_DIAGNOSTIC_CODES)) expect(DOC).toContain(`| \`${code}\` |`);
  });
});
