import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isContractDiagnosticCode } from '../../../shared/contract/codes.ts';
import type { ContractParseResult } from '../../../shared/contract/parse.ts';
import { GOOD, parse } from './helpers.ts';

/**
 * The contract reader's promise: whatever it is given, it returns (never throws) either a
 * contract or at least one diagnostic, and every diagnostic says where.
 */
function keepsItsPromise(result: ContractParseResult): void {
  if (result.ok) {
    expect(result.contract.apiVersion).toBe('charter/v1');
    expect(result.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
  } else {
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  }
  for (const d of result.diagnostics) {
    expect(isContractDiagnosticCode(d.code), d.code).toBe(true);
    expect(d.message.length).toBeGreaterThan(10);
    expect(d.location !== undefined || d.pointer !== undefined).toBe(true);
    if (d.location) {
      expect(d.location.line).toBeGreaterThanOrEqual(1);
      expect(d.location.column).toBeGreaterThanOrEqual(1);
    }
    // Never a stack trace, never an internal failure.
    expect(d.message).not.toMatch(/\n\s+at |internal error/);
  }
}

const check = (source: string | Uint8Array): void => keepsItsPromise(parse(source));

// Few runs each: the whole file stays within a few seconds on a shared 2-core machine.
const RUNS = { numRuns: 150 };

const yamlish = fc.stringMatching(/^[-:?&*!|>'"{}[\],#%@ \n\ta-z0-9/.~]*$/, { maxLength: 200 });

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { maxDepth: 4, depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, 1, -1, 2.5, 'x', '', '1h', 'tool:lookup_order', 'PII', '/a/b', 'student'),
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('id', 'actions', 'metric', 'limit', 'window', 'op', 'path', 'value', 'allow', 'deny', 'complexity', 'class', 'x'), tie('value'), { maxKeys: 4 }),
  ),
}));

/** Contract-shaped records with arbitrary holes and wrong types. */
const contractish = fc.record(
  {
    apiVersion: fc.constantFrom('charter/v1', 'charter/v2', 1),
    kind: fc.constantFrom('AgentContract', 'Other'),
    metadata: fc.record({ name: fc.constantFrom('ok-name', 'Bad Name', ''), description: json.value }, { requiredKeys: [] }),
    spec: fc.record(
      {
        failMode: fc.constantFrom('closed', 'open', 'sideways'),
        flags: fc.dictionary(fc.constantFrom('streaming', 'canvas', 'emergencyBypass', 'nope'), fc.oneof(fc.boolean(), json.value)),
        actions: fc.dictionary(fc.constantFrom('submit_form', 'new_action', 'Bad'), json.value),
        tools: fc.dictionary(fc.constantFrom('lookup_order', 'search'), fc.record({ complexity: fc.integer({ min: -1, max: 6 }), arguments: json.value }, { requiredKeys: [] })),
        dataClasses: fc.array(json.value, { maxLength: 3 }),
        classification: fc.array(json.value, { maxLength: 3 }),
        outbound: fc.array(json.value, { maxLength: 3 }),
        rules: fc.array(
          fc.record(
            {
              id: fc.constantFrom('a', 'b', 'B!'),
              subjects: json.value,
              complexity: fc.dictionary(fc.constantFrom('stream_chat', 'nope', 'tool:lookup_order'), fc.integer({ min: -2, max: 7 })),
              tools: fc.record({ allow: fc.array(fc.constantFrom('lookup_order', 'search', 'x')), deny: fc.array(fc.constantFrom('lookup_order', 'x')) }, { requiredKeys: [] }),
              quotas: fc.array(fc.record({ id: fc.constantFrom('q', 'q'), metric: fc.constantFrom('calls', 'tokens', 'watts'), limit: fc.oneof(fc.integer(), json.value), window: fc.constantFrom('1h', '30s', '1 hour', '0m') }, { requiredKeys: [] }), { maxLength: 2 }),
              approvals: fc.array(fc.record({ id: fc.constant('p'), actions: fc.array(fc.constantFrom('stream_chat', 'tool:lookup_order', 'zzz')), when: fc.array(fc.record({ path: fc.constantFrom('/a', 'a', ''), op: fc.constantFrom('eq', 'in', 'matches', 'exists', 'like'), value: json.value }, { requiredKeys: [] })) }, { requiredKeys: [] }), { maxLength: 2 }),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

describe('parseContract never throws and always locates what it reports', () => {
  it('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), check), RUNS);
  });

  it('arbitrary YAML-ish text', () => {
    fc.assert(fc.property(yamlish, check), RUNS);
  });

  it('arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check), RUNS);
  });

  it('arbitrary JSON-like data written as YAML', () => {
    fc.assert(fc.property(json.value, (value) => check(stringify(value))), RUNS);
  });

  it('contract-shaped records with holes and wrong types', () => {
    fc.assert(fc.property(contractish, (value) => check(stringify(value))), RUNS);
  });

  it('mutations of a valid contract: deleted, inserted and replaced characters', () => {
    const mutation = fc.tuple(fc.nat({ max: GOOD.length }), fc.nat({ max: 20 }), fc.string({ maxLength: 6, unit: fc.constantFrom(...' -:[]{}&*!|>#\'"\n\tabc01'.split('')) }));
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (edits) => {
        let source = GOOD;
        for (const [at, remove, insert] of edits) source = source.slice(0, at) + insert + source.slice(at + remove);
        check(source);
      }),
      RUNS,
    );
  });

  it('mutations of a valid contract: lines swapped, duplicated or dropped', () => {
    const lines = GOOD.split('\n');
    const edit = fc.tuple(fc.constantFrom('swap', 'dup', 'drop'), fc.nat({ max: lines.length - 1 }), fc.nat({ max: lines.length - 1 }));
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const out = [...lines];
        for (const [kind, i, j] of edits) {
          if (kind === 'swap') [out[i], out[j]] = [out[j] as string, out[i] as string];
          else if (kind === 'dup') out.splice(i, 0, out[i] as string);
          else out.splice(i, 1);
        }
        check(out.join('\n'));
      }),
      RUNS,
    );
  });
});
