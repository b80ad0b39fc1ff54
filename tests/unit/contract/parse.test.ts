import { describe, expect, it } from 'vitest';
import { isContractDiagnosticCode } from '../../../shared/contract/codes.ts';
import { GOOD, at, mutate, onlyError, parse, positionOf } from './helpers.ts';

describe('a good contract', () => {
  it('parses into the typed contract with no diagnostics', () => {
    const result = parse(GOOD);
    expect(result.diagnostics).toEqual([]);
    if (!result.ok) throw new Error('expected ok');
    expect(result.contract.metadata.name).toBe('support-assistant');
    expect(result.contract.spec.rules?.[0]?.quotas?.[0]).toEqual({
      id: 'chat-tokens',
      actions: ['stream_chat', 'llm_stream'],
      metric: 'tokens',
      limit: 200000,
      window: '1h',
    });
    expect(result.contract.spec.tools?.lookup_order?.complexity).toBe(2);
  });

  it('accepts the same contract given as UTF-8 bytes, with or without a byte order mark', () => {
    const bytes = new TextEncoder().encode(GOOD);
    expect(parse(bytes).ok).toBe(true);
    expect(parse(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes])).ok).toBe(true);
  });

  it('accepts a minimal contract', () => {
    expect(parse('apiVersion: charter/v1\nkind: AgentContract\nmetadata: { name: tiny }\nspec: {}\n').ok).toBe(true);
  });

  it('puts the file name in every location', () => {
    const d = onlyError(parse(mutate('window: 1h', 'window: 1 hour')));
    expect(d.location?.file).toBe('contract.yaml');
  });
});

interface Case {
  readonly name: string;
  readonly source: string;
  readonly code: string;
  /** Where the error must point: the first occurrence of `needle` in the source (plus `shift`). */
  readonly needle: string;
  readonly shift?: number;
  readonly nth?: number;
  readonly pointer?: string;
  readonly says: RegExp;
}

const bad = (name: string, from: string, to: string, rest: Omit<Case, 'name' | 'source'>): Case => ({ name, source: mutate(from, to), ...rest });

const cases: readonly Case[] = [
  // YAML
  bad('a YAML syntax error', '  owner:', ' owner:', { code: 'yaml.syntax', needle: ' owner:', says: /YAML syntax error/ }),
  bad('a duplicate key', '  owner:', '  name: again\n  owner:', { code: 'yaml.duplicate-key', needle: 'name: again', says: /"name" appears more than once/ }),
  bad('tabs as indentation', '    streaming: true', '\tstreaming: true', { code: 'yaml.tab-indent', needle: '\tstreaming', says: /Tabs/ }),
  bad('a second document', 'window: 1m', 'window: 1m\n---\nkind: AgentContract', { code: 'yaml.multiple-documents', needle: '---', says: /one YAML document/ }),
  bad('a collection as a key', '  owner:', '  [a, b]: 1\n  owner:', { code: 'yaml.complex-key', needle: '[a, b]', says: /plain text/ }),
  bad('a self-referencing alias', 'metadata:\n', 'loop: &loop [*loop]\nmetadata:\n', { code: 'yaml.alias-cycle', needle: '*loop', says: /contains it/ }),
  bad('a binary tag', '  owner: support', '  owner: !!binary aGVsbG8=\n  old: support', { code: 'yaml.unsupported-value', needle: 'aGVsbG8=', says: /not plain data/ }),
  // Schema
  bad('a window that is not a window', 'window: 1h', 'window: 1 hour', {
    code: 'contract.bad-window',
    needle: '1 hour',
    pointer: '/spec/rules/0/quotas/0/window',
    says: /`spec\.rules\[0\]\.quotas\[0\]\.window` must look like 30s, 5m, 1h or 1d/,
  }),
  bad('an unknown field', 'tokenCap: 4000', 'tokencap: 4000', {
    code: 'schema.unknown-field',
    needle: 'tokencap',
    pointer: '/spec/rules/0/tokencap',
    says: /unknown field `tokencap`\. Did you mean `tokenCap`\?/,
  }),
  bad('an unknown top-level field', 'kind: AgentContract', 'kind: AgentContract\nversion: 2', { code: 'schema.unknown-field', needle: 'version: 2', says: /`the document` has an unknown field `version`/ }),
  bad('a missing required field', '          metric: calls\n', '', {
    code: 'schema.required',
    needle: 'id: calls-per-minute',
    pointer: '/spec/rules/0/quotas/1',
    says: /`spec\.rules\[0\]\.quotas\[1\]` is missing the required field `metric`/,
  }),
  bad('a wrong type', 'limit: 60', 'limit: sixty', { code: 'schema.type', needle: 'sixty', says: /must be a number, not the text "sixty"/ }),
  bad('a value outside an enum', 'effect: redact', 'effect: block', { code: 'schema.enum', needle: 'block', says: /must be one of: deny, redact, escalate/ }),
  bad('a wrong apiVersion', 'apiVersion: charter/v1', 'apiVersion: charter/v2', { code: 'schema.enum', needle: 'charter/v2', says: /must be "charter\/v1"/ }),
  bad('an id that is not a slug', 'id: no-pii-in-chat', 'id: No PII', { code: 'schema.pattern', needle: 'No PII', says: /lowercase slug/ }),
  bad('a bad tool name', '    issue_refund:\n      complexity: 3', '    Issue Refund:\n      complexity: 3', { code: 'schema.bad-name', needle: 'Issue Refund', says: /`Issue Refund` in `spec\.tools` must be an action or tool name/ }),
  bad('a maturity that does not exist', '[student, intern]', '[student, internn]', {
    code: 'contract.unknown-maturity',
    needle: 'internn',
    says: /must be a maturity level: student, intern, supervised, autonomous\. Did you mean `intern`\?/,
  }),
  bad('a complexity override out of range', 'escalate_to_human: 1\n      tools:', 'escalate_to_human: 7\n      tools:', { code: 'contract.complexity-range', needle: '7\n', says: /from 1 to 4/ }),
  bad('a malformed JSON pointer', 'path: /email', 'path: email', { code: 'contract.bad-pointer', needle: 'path: email', shift: 6, says: /JSON pointer/ }),
  bad('a pointer with a bad escape', 'path: /email', 'path: /e~2mail', { code: 'contract.bad-pointer', needle: '/e~2mail', says: /JSON pointer/ }),
  // Semantics
  bad('an unknown action', 'actions: [stream_chat]', 'actions: [stream_chatt]', {
    code: 'contract.unknown-action',
    needle: 'stream_chatt',
    pointer: '/spec/outbound/0/actions/0',
    says: /`stream_chatt` is not a known action.*Did you mean `stream_chat`\?/,
  }),
  bad('an unknown tool action', 'actions: ["tool:issue_refund"]', 'actions: ["tool:issue_refunds"]', { code: 'contract.unknown-action', needle: '"tool:issue_refunds"', says: /tool `issue_refunds`, which spec\.tools does not declare/ }),
  bad('an unknown action as a complexity override', 'escalate_to_human: 1\n      tools:', 'escalate_to_humans: 1\n      tools:', { code: 'contract.unknown-action', needle: 'escalate_to_humans', says: /not a known action/ }),
  bad('a new action without complexity', 'complexity: 1\n      description: Hand', 'description: Hand', { code: 'contract.action-needs-complexity', needle: 'escalate_to_human:', says: /must state its complexity/ }),
  bad('a tool both allowed and denied', 'deny: [issue_refund]', 'allow: [lookup_order]\n        deny: [lookup_order, issue_refund]', {
    code: 'contract.tool-allowed-and-denied',
    needle: 'lookup_order',
    nth: 5,
    says: /both allowed and denied in rule group `interns`/,
  }),
  bad('an undeclared tool', 'allow: [lookup_order, issue_refund]', 'allow: [lookup_order, issue_refnd]', { code: 'contract.undeclared-tool', needle: 'issue_refnd', says: /not declared under spec\.tools\. Did you mean `issue_refund`\?/ }),
  bad('an argument schema that does not compile', 'amount: { type: number, exclusiveMinimum: 0, maximum: 500 }', 'amount: { type: numbr }', {
    code: 'contract.bad-json-schema',
    needle: 'numbr',
    says: /tools\.issue_refund\.arguments` does not compile: .*\/properties\/amount\/type must be one of/,
  }),
  bad('an input schema with a broken reference', 'reason: { type: string, maxLength: 500 }', 'reason: { $ref: "#/$defs/missing" }', { code: 'contract.bad-json-schema', needle: 'input:', says: /can't resolve reference #\/\$defs\/missing/ }),
  bad('an input schema with a bad regex', '"^ord_[0-9a-z]{8}$" }\n          reason', '"^ord_[" }\n          reason', { code: 'contract.bad-json-schema', needle: 'input:', says: /Invalid regular expression/ }),
  bad('an unknown data class', 'class: PII', 'class: PIII', { code: 'contract.unknown-data-class', needle: 'PIII', says: /Did you mean `PII`\?/ }),
  bad('an unknown outbound class', 'classes: [PII]', 'classes: [PII, card]', { code: 'contract.unknown-data-class', needle: 'card', says: /not a data class/ }),
  bad('a duplicate rule group id', 'id: refunds', 'id: interns', { code: 'contract.duplicate-id', needle: 'interns', nth: 2, says: /rule group already has the id `interns`/ }),
  bad('a duplicate quota id', 'id: calls-per-minute', 'id: chat-tokens', { code: 'contract.duplicate-id', needle: 'chat-tokens', nth: 2, says: /quota in rule group `everyone` already has the id/ }),
  bad('a duplicate approval id', 'id: vip-orders', 'id: large-refund', { code: 'contract.duplicate-id', needle: 'large-refund', nth: 2, says: /approval/ }),
  bad('a duplicate classification id', 'id: order-ids', 'id: customer-email', { code: 'contract.duplicate-id', needle: 'customer-email', nth: 2, says: /classification/ }),
  bad('a duplicate outbound id', '      reason: Customer contact', '      reason: Customer contact x\n    - { id: no-pii-in-chat, classes: [PCI], effect: deny }\n      #', {
    code: 'contract.duplicate-id',
    needle: 'no-pii-in-chat',
    nth: 2,
    says: /outbound rule already has the id `no-pii-in-chat`/,
  }),
  bad('a matches condition whose regex does not compile', '"^ord_vip"', '"^ord_(vip"', { code: 'contract.bad-regex', needle: '"^ord_(vip"', says: /does not compile: .*Unterminated group/ }),
  bad('an in condition without a list', 'op: gt, value: 100', 'op: in, value: 100', { code: 'contract.in-needs-array', needle: '100 }', says: /list of the accepted values/ }),
  bad('an in condition with no value', 'op: gt, value: 100', 'op: in', { code: 'contract.in-needs-array', needle: '{ path: /amount', says: /it has none/ }),
  bad('a comparison with a list', 'op: gt, value: 100', 'op: gt, value: [1]', { code: 'contract.bad-condition', needle: '[1]', says: /compares numbers/ }),
  bad('an exists condition with a value', 'op: gt, value: 100', 'op: exists, value: false', { code: 'contract.bad-condition', needle: 'false }', says: /takes no `value`/ }),
  bad('a custom class that redefines a built-in', '    - name: order-id', '    - name: PII\n    - name: order-id', { code: 'contract.duplicate-data-class', needle: 'PII\n', says: /built-in/ }),
];

describe('each error kind is located where the problem is written', () => {
  for (const c of cases) {
    it(c.name, () => {
      const d = onlyError(parse(c.source));
      expect(d.code).toBe(c.code);
      expect(isContractDiagnosticCode(d.code)).toBe(true);
      expect(d.message).toMatch(c.says);
      expect(at(d)).toBe(positionOf(c.source, c.needle, c.shift ?? 0, c.nth ?? 1));
      if (c.pointer !== undefined) expect(d.pointer).toBe(c.pointer);
    });
  }
});

describe('warnings', () => {
  it('emergency bypass parses but warns, at the flag', () => {
    const source = mutate('emergencyBypass: false', 'emergencyBypass: true');
    const result = parse(source);
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'contract.emergency-bypass', severity: 'warning', pointer: '/spec/flags/emergencyBypass' });
    expect(at(result.diagnostics[0])).toBe(positionOf(source, 'true', 0, 4));
  });

  it('fail-open, an unused data class, an empty allowlist and a zero quota warn', () => {
    let source = mutate('failMode: closed', 'failMode: open');
    source = mutate('class: order-id', 'class: PII', source);
    source = mutate('allow: [lookup_order, issue_refund]', 'allow: []', source);
    source = mutate('limit: 60', 'limit: 0', source);
    const result = parse(source);
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual([
      'contract.fail-open',
      'contract.no-tools-allowed',
      'contract.quota-zero',
      'contract.unused-data-class',
    ]);
  });

  it('an unknown YAML tag warns and reads the value as text', () => {
    const result = parse(mutate('owner: support-platform@example.com', 'owner: !team support-platform@example.com'));
    expect(result.ok).toBe(true);
    expect(result.diagnostics[0]?.code).toBe('yaml.warning');
  });
});

describe('several problems at once', () => {
  it('reports every schema problem, in source order', () => {
    const source = mutate('limit: 60', 'limit: sixty', mutate('window: 1h', 'window: 1 hour'));
    const result = parse(source);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['contract.bad-window', 'schema.type']);
  });

  it('reports every semantic problem', () => {
    const source = mutate('class: PII', 'class: PIII', mutate('actions: [stream_chat]', 'actions: [stream_chatt]'));
    expect(parse(source).diagnostics.map((d) => d.code)).toEqual(['contract.unknown-data-class', 'contract.unknown-action']);
  });
});
