import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { AGENT_CONTRACT_SCHEMA, agentContractSchemaText } from '../../../shared/contract/schema.ts';
import { GOOD } from './helpers.ts';

const PUBLISHED = new URL('../../../docs/schema/agent-contract.v1.schema.json', import.meta.url);
const REGENERATE = `node --import tsx -e 'import("./shared/contract/schema.ts").then(m => process.stdout.write(m.agentContractSchemaText()))' > docs/schema/agent-contract.v1.schema.json`;

describe('the published JSON Schema', () => {
  it('is exactly the schema the parser uses', () => {
    const published = readFileSync(PUBLISHED, 'utf8');
    expect(published, `docs/schema/agent-contract.v1.schema.json is stale; regenerate it with:\n${REGENERATE}`).toBe(agentContractSchemaText());
  });

  it('is a valid draft 2020-12 schema that any strict validator compiles', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    expect(() => ajv.compile(JSON.parse(readFileSync(PUBLISHED, 'utf8')) as object)).not.toThrow();
  });

  it('on its own accepts the realistic example and rejects an unknown field anywhere', () => {
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(AGENT_CONTRACT_SCHEMA);
    const good = parseYaml(GOOD) as { spec: { rules: { quotas?: Record<string, unknown>[] }[] } };
    expect(validate(good), JSON.stringify(validate.errors)).toBe(true);
    (good.spec.rules[0]?.quotas?.[0] as Record<string, unknown>).per = 'hour';
    expect(validate(good)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ keyword: 'additionalProperties', instancePath: '/spec/rules/0/quotas/0' });
  });

  it('forbids unknown fields everywhere except inside embedded schemas', () => {
    const closed: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.type === 'object' && n.properties !== undefined) {
        if (n.additionalProperties !== false) closed.push(path);
      }
      for (const [k, v] of Object.entries(n)) visit(v, `${path}/${k}`);
    };
    visit(AGENT_CONTRACT_SCHEMA, '');
    expect(closed).toEqual([]);
  });
});
