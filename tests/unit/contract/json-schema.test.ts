import { describe, expect, it } from 'vitest';
import { compileUserSchema, createAjv, formatAjvError } from '../../../shared/contract/json-schema.ts';
import type { ValidateFunction } from '../../../shared/contract/json-schema.ts';

function compiled(schema: Parameters<typeof compileUserSchema>[0]): ValidateFunction {
  const result = compileUserSchema(schema);
  if (!result.ok) throw new Error(result.message);
  return result.validate;
}

/** The plain-words reason a value fails `schema`. */
function reason(schema: Record<string, unknown>, value: unknown): string {
  const validate = compiled(schema);
  expect(validate(value)).toBe(false);
  return formatAjvError(validate.errors?.[0] as NonNullable<ValidateFunction['errors']>[number]);
}

describe('compileUserSchema', () => {
  it('compiles a schema into a validator that checks values, formats included', () => {
    const validate = compiled({ type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } });
    expect(validate({ email: 'a@example.com' })).toBe(true);
    expect(validate({ email: 'not an email' })).toBe(false);
    expect(validate({})).toBe(false);
  });

  it('accepts boolean schemas', () => {
    expect(compiled(true)('anything')).toBe(true);
    expect(compiled(false)('anything')).toBe(false);
  });

  it('says why a schema does not compile', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: 'strnig' }, /not a valid JSON Schema: \/type must be one of: "array", "boolean"/],
      [{ properties: { a: { minLength: -1 } } }, /\/properties\/a\/minLength must be at least 0/],
      [{ pattern: '(' }, /Invalid regular expression/],
      [{ $ref: '#/$defs/missing' }, /can't resolve reference #\/\$defs\/missing: only references inside the schema/],
      [{ $ref: 'https://example.com/schema.json' }, /can't resolve reference https:\/\/example\.com/],
      [{ $schema: 'http://json-schema.org/draft-07/schema#' }, /draft 2020-12/],
    ];
    for (const [schema, message] of cases) {
      const result = compileUserSchema(schema);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(message);
    }
  });

  it('points into the schema when a part of it is at fault', () => {
    const result = compileUserSchema({ type: 'object', properties: { amount: { type: 'numbr' } } });
    expect(result).toMatchObject({ ok: false, pointer: '/properties/amount/type' });
  });

  it('compiles the same $id twice (two contracts may share one) and forgets compiled schemas', () => {
    const ajv = createAjv();
    const schema = { $id: 'https://example.com/order', type: 'object', properties: { next: { $ref: '#' } } };
    const first = compileUserSchema(schema, ajv);
    const second = compileUserSchema({ ...schema }, ajv);
    expect(first.ok && second.ok).toBe(true);
    // Recursive references still work after the schema is forgotten.
    if (first.ok) expect(first.validate({ next: { next: { next: 'x' } } })).toBe(false);
    if (first.ok) expect(first.validate({ next: { next: {} } })).toBe(true);
  });

  it('never throws, whatever it is given', () => {
    for (const junk of [null, 42, 'text', [], { type: 7 }, { properties: 'x' }, { $ref: 12 }] as unknown[]) {
      const result = compileUserSchema(junk as never);
      expect(result.ok).toBe(false);
    }
  });

  it('validators are fast enough to run on every decision', () => {
    const validate = compiled({ type: 'object', required: ['orderId', 'amount'], properties: { orderId: { type: 'string', pattern: '^ord_[0-9a-z]{8}$' }, amount: { type: 'number', maximum: 500 } } });
    const value = { orderId: 'ord_12345678', amount: 20 };
    for (let i = 0; i < 1000; i++) validate(value);
    const start = performance.now();
    for (let i = 0; i < 100_000; i++) validate(value);
    const perCallUs = ((performance.now() - start) * 1000) / 100_000;
    expect(perCallUs).toBeLessThan(5);
  });
});

describe('formatAjvError words a failure with its JSON pointer', () => {
  const cases: [string, Record<string, unknown>, unknown, string][] = [
    ['required', { type: 'object', required: ['query'] }, {}, '/query is required'],
    ['unknown field', { type: 'object', additionalProperties: false, properties: {} }, { extra: 1 }, '/extra is not allowed (unknown field)'],
    ['type at the root', { type: 'object' }, 'x', 'the value must be a mapping (object)'],
    ['type', { properties: { n: { type: 'integer' } } }, { n: 1.5 }, '/n must be a whole number'],
    ['maximum', { properties: { amount: { maximum: 1000 } } }, { amount: 5000 }, '/amount must be at most 1000'],
    ['exclusiveMinimum', { properties: { amount: { exclusiveMinimum: 0 } } }, { amount: 0 }, '/amount must be greater than 0'],
    ['maxLength', { properties: { s: { maxLength: 3 } } }, { s: 'abcd' }, '/s must be at most 3 characters long'],
    ['pattern', { properties: { id: { pattern: '^ord_' } } }, { id: 'x' }, '/id must match the pattern ^ord_'],
    ['format', { properties: { e: { format: 'email' } } }, { e: 'x' }, '/e must be a valid email'],
    ['enum', { properties: { s: { enum: ['a', 'b'] } } }, { s: 'c' }, '/s must be one of: "a", "b"'],
    ['const', { const: 'yes' }, 'no', 'the value must be "yes"'],
    ['minItems', { type: 'array', minItems: 1 }, [], 'the value must have at least 1 item'],
    ['uniqueItems', { type: 'array', uniqueItems: true }, [1, 1], 'the value must not repeat an item (items 0 and 1 are the same)'],
    ['escaped pointer', { properties: { 'a/b': { type: 'string' } } }, { 'a/b': 1 }, '/a~1b must be a string'],
    ['nested', { properties: { card: { properties: { number: { type: 'string' } } } } }, { card: { number: 4111 } }, '/card/number must be a string'],
  ];
  for (const [name, schema, value, words] of cases) {
    it(name, () => expect(reason(schema, value)).toBe(words));
  }
});
