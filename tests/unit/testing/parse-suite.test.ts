import { describe, expect, it } from 'vitest';
import { parseDuration, parseSuite } from '../../../electron/engine/testing/parse-suite.ts';
import { formatDiagnostic } from '../../../shared/errors.ts';

const VALID = `apiVersion: charter/v1
kind: TestSuite
metadata: { name: demo }
contract: ../demo.yaml
start: 2025-06-01T12:00:00Z
agents:
  - { id: sam, name: Sam, role: support, maturity: student }
sessions:
  - { id: chat, agent: sam }
settings: { defaultAgent: sam, emergencyBypass: false, failMode: open }
cases:
  - name: student cannot stream
    advance: 61s
    request: { session: chat, action: stream_chat, input: { messages: [] }, usage: { tokens: 10 } }
    expect:
      outcome: deny
      ruleIds: [maturity.gate]
      rung: session
      tokenCap: null
      redact: [/customer/email, { path: '', class: PII, method: mask, target: output }]
`;

function errorsOf(source: string): string[] {
  const result = parseSuite(source, '/suites/demo.test.yaml');
  expect(result.ok).toBe(false);
  return result.diagnostics.map(formatDiagnostic);
}

describe('parseSuite', () => {
  it('reads a complete suite into typed data, resolving the contract beside the suite', () => {
    const result = parseSuite(VALID, '/suites/tests/demo.test.yaml');
    if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    const { suite } = result;
    expect(suite.contract.resolved).toBe('/suites/demo.yaml');
    expect(suite.start).toBe(Date.parse('2025-06-01T12:00:00Z'));
    expect(suite.agents).toEqual([expect.objectContaining({ id: 'sam', maturity: 'student', contract: null })]);
    expect(suite.settings).toEqual({ defaultAgent: 'sam', emergencyBypass: false, failMode: 'open' });
    const [testCase] = suite.cases;
    expect(testCase?.advance).toBe(61_000);
    expect(testCase?.request).toEqual({ session: 'chat', action: 'stream_chat', input: { messages: [] }, usage: { tokens: 10 } });
    expect(testCase?.expect).toEqual({
      outcome: 'deny',
      ruleIds: ['maturity.gate'],
      rung: 'session',
      tokenCap: null,
      redact: [{ path: '/customer/email' }, { path: '', dataClass: 'PII', method: 'mask', target: 'output' }],
    });
    expect(testCase?.location).toEqual({ file: '/suites/tests/demo.test.yaml', line: 12, column: 5 });
  });

  it('locates an unknown key and suggests the near miss', () => {
    const errors = errorsOf(VALID.replace('      outcome: deny', '      outcom: deny'));
    expect(errors).toContain(
      '/suites/demo.test.yaml:16:7: error: unknown key "outcom" in expect (did you mean "outcome"?); allowed: outcome, ruleId, ruleIds, rung, agent, contract, degraded, tokenCap, redact [schema.unknown-key]',
    );
    expect(errors.some((e) => e.includes('missing required key "outcome"'))).toBe(true);
  });

  it('locates wrong values: maturity, outcome, duration, time', () => {
    const source = VALID.replace('maturity: student', 'maturity: junior')
      .replace('outcome: deny', 'outcome: maybe')
      .replace('advance: 61s', 'advance: soon')
      .replace('start: 2025-06-01T12:00:00Z', 'start: yesterday');
    const errors = errorsOf(source);
    expect(errors).toHaveLength(4);
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\/suites\/demo\.test\.yaml:7:52: error: maturity must be one of student, intern, supervised, autonomous \(got "junior"\)/),
      expect.stringMatching(/:16:16: error: expect\.outcome must be one of allow, deny, escalate \(got "maybe"\)/),
      expect.stringMatching(/:13:14: error: advance must be a duration such as 500ms, 61s/),
      expect.stringMatching(/:5:8: error: start must be an ISO-8601 time/),
    ]));
  });

  it('refuses references to sessions and agents the suite does not define', () => {
    const errors = errorsOf(VALID.replace('request: { session: chat', 'request: { session: other').replace('{ id: chat, agent: sam }', '{ id: chat, agent: bob }'));
    expect(errors.some((e) => e.includes('session agent "bob" is not one of the suite\'s agents'))).toBe(true);
    expect(errors.some((e) => e.includes('session "other" is not one of the suite\'s sessions'))).toBe(true);
  });

  it('names the wrong document kind and a missing contract', () => {
    const errors = errorsOf(VALID.replace('kind: TestSuite', 'kind: AgentContract').replace('contract: ../demo.yaml\n', ''));
    expect(errors).toContain('/suites/demo.test.yaml:2:7: error: kind must be "TestSuite" (got "AgentContract") [suite.kind]');
    expect(errors.some((e) => e.includes('missing required key "contract"'))).toBe(true);
  });

  it('gives located errors, never an exception, for garbage, empty, scalar and unclosed input', () => {
    expect(errorsOf('')).toEqual(['/suites/demo.test.yaml:1:1: error: the file is empty; expected a TestSuite document [suite.empty]']);
    expect(errorsOf('just words')[0]).toBe('/suites/demo.test.yaml:1:1: error: a test suite must be a mapping [schema.type]');
    expect(errorsOf('a: [1, 2\nb: 3\n')[0]).toMatch(/^\/suites\/demo\.test\.yaml:\d+:\d+: error: .+ \[yaml\.syntax\]$/);
    expect(errorsOf('a: 1\na: 2\n')[0]).toMatch(/^\/suites\/demo\.test\.yaml:2:1: error: .*unique.* \[yaml\.syntax\]$/i);
  });

  it('refuses deeply nested documents with one located error', () => {
    const started = performance.now();
    expect(errorsOf(`cases:\n  - ${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toEqual([
      '/suites/demo.test.yaml:2:66: error: document nests deeper than 64 levels; nothing was parsed [yaml.too-deep]',
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
    const staircase = `a:\n${Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`;
    expect(errorsOf(staircase)).toEqual([expect.stringMatching(/demo\.test\.yaml:65:\d+: error: document nests deeper than 64 levels; nothing was parsed \[yaml\.too-deep\]$/)]);
  });

  it('parses durations', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('61s')).toBe(61_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('1.5h')).toBeUndefined();
    expect(parseDuration('-1s')).toBeUndefined();
  });
});
