/**
 * Every diagnostic code the contract reader can report, with what it means. Stable: tools and
 * tests match on them. docs/contracts.md lists the same codes (a test keeps the two in step).
 */
export const CONTRACT_DIAGNOSTIC_CODES = {
  'source.too-large': 'The contract is over 1 MiB; it is refused before parsing.',
  'source.binary': 'The input holds a NUL byte: it is not a text file.',
  'source.encoding': 'The input is not UTF-8 (or holds a broken Unicode character).',
  'source.empty': 'The input is empty, or only whitespace and comments.',
  'yaml.syntax': 'YAML syntax error (only the first one is reported: later ones are usually its echoes).',
  'yaml.duplicate-key': 'A key appears twice in one mapping.',
  'yaml.tab-indent': 'A tab is used for indentation.',
  'yaml.complex-key': 'A list or mapping is used as a key.',
  'yaml.multiple-documents': 'A second YAML document follows `---`.',
  'yaml.too-deep': 'Nesting deeper than 64 levels.',
  'yaml.too-large': 'Aliases expand the document to too many values.',
  'yaml.alias-limit': 'Aliases expand to too much data (a "billion laughs" alias bomb).',
  'yaml.alias-cycle': 'An alias inside the collection it refers to.',
  'yaml.unknown-alias': 'An alias with no anchor before it.',
  'yaml.unsupported-value': 'A value that is not plain JSON data: !!binary, !!set, dates, .inf, .nan.',
  'yaml.warning': 'A YAML warning, such as an unknown tag (warning).',
  'contract.not-a-mapping': 'The document is a list or a single value, not a mapping.',
  'schema.required': 'A required field is missing.',
  'schema.unknown-field': 'A field the format does not define (with a suggestion when it looks like a typo).',
  'schema.bad-name': 'A mapping key (action, tool or override name) is not a valid name.',
  'schema.type': 'A value of the wrong type.',
  'schema.enum': 'A value that is not one of the allowed values.',
  'schema.pattern': 'A text value of the wrong shape (ids must be lowercase slugs).',
  'schema.length': 'A text value that is empty or too long.',
  'schema.range': 'A number out of range.',
  'schema.list': 'A list that is empty where it may not be, or repeats an item.',
  'schema.invalid': 'Any other mismatch with the schema.',
  'contract.bad-window': 'A quota window that is not like 30s, 5m, 1h or 1d.',
  'contract.complexity-range': 'A complexity that is not a whole number from 1 to 4.',
  'contract.unknown-maturity': 'A maturity that is not student, intern, supervised or autonomous.',
  'contract.bad-pointer': 'A path that is not a JSON pointer.',
  'contract.unknown-action': 'An action that is not in the catalog, not in spec.actions, and not `tool:<declared tool>`.',
  'contract.action-needs-complexity': 'A new action (not in the catalog) without a complexity.',
  'contract.undeclared-tool': 'A tool in allow/deny that spec.tools does not declare.',
  'contract.tool-allowed-and-denied': 'A tool both allowed and denied in the same rule group.',
  'contract.bad-json-schema': 'An embedded JSON Schema that does not compile (the message says why).',
  'contract.unknown-data-class': 'A data class that is neither built-in nor declared in spec.dataClasses.',
  'contract.duplicate-data-class': 'A custom data class declared twice, or named like a built-in one.',
  'contract.duplicate-id': 'Two rule groups, or two rules of one kind, with the same id.',
  'contract.bad-regex': 'A `matches` condition whose regular expression does not compile.',
  'contract.in-needs-array': 'An `in` condition whose value is not a list.',
  'contract.bad-condition': 'Another condition whose value does not suit its operator.',
  'contract.emergency-bypass': 'Emergency bypass is on (warning).',
  'contract.fail-open': 'failMode is open (warning).',
  'contract.unused-data-class': 'A declared data class nothing uses (warning).',
  'contract.no-tools-allowed': '`allow: []`: the group may call no tool (warning).',
  'contract.quota-zero': 'A quota with limit 0 denies everything it counts (warning).',
  'contract.internal': 'A bug in the reader itself; the message asks for a report.',
} as const;

export type ContractDiagnosticCode = keyof typeof CONTRACT_DIAGNOSTIC_CODES;

export function isContractDiagnosticCode(code: string): code is ContractDiagnosticCode {
  return Object.hasOwn(CONTRACT_DIAGNOSTIC_CODES, code);
}
