import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSuite } from '../../../electron/engine/testing/parse-suite.ts';
import { parseScenario } from '../../../electron/engine/testing/scenario.ts';

const yamlish = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.stringMatching(/^[\s\S]{0,200}$/),
  fc.array(fc.constantFrom('apiVersion: charter/v1\n', 'kind: TestSuite\n', 'cases:\n', '  - ', 'name: x\n', 'request: ', '{ action: a }', '[', ']', '{', '}', '&a ', '*a ', '"', "'", ': ', '- ', '\n', '    ', '#', '|\n', '!!binary ', '? ', 'expect: { outcome: allow }\n'), { maxLength: 40 }).map((parts) => parts.join('')),
  fc.jsonValue().map((value) => JSON.stringify(value)),
);

describe('suite and scenario parsing never throw', () => {
  it('returns a suite or located errors for arbitrary text', () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        for (const result of [parseSuite(text, 'fuzz.test.yaml'), parseScenario(text, 'fuzz.yaml')]) {
          if (result.ok) continue;
          expect(result.diagnostics.length).toBeGreaterThan(0);
          for (const d of result.diagnostics) {
            expect(d.severity).toBe('error');
            expect(d.location?.file).toMatch(/^fuzz/);
            expect(d.location!.line).toBeGreaterThanOrEqual(1);
            expect(d.location!.column).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
