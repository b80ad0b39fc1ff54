/**
 * The published JSON Schema (draft 2020-12) of an agent contract: the same shape as ./types.ts.
 * docs/schema/agent-contract.v1.schema.json is this object, written out (a test keeps the two
 * identical). Embedded user schemas are the only places that accept any keys.
 */
import { MATURITY_LEVELS, QUOTA_METRICS } from '../domain.ts';
import { MAX_COMPLEXITY, MIN_COMPLEXITY } from '../catalog.ts';
import { CONTRACT_API_VERSION, CONTRACT_KIND } from './types.ts';

export const AGENT_CONTRACT_SCHEMA_ID = 'https://charter.dev/schema/agent-contract.v1.schema.json';

/** Ids and the contract name: `support-assistant`, `stream-tokens`. */
export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';
/** Action and tool names, as in the catalog: `submit_form`, `search_code`, `github.create_issue`. */
export const ACTION_NAME_PATTERN = '^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$';
/** A reference to an action: a name, or `tool:<tool name>`. */
export const ACTION_REF_PATTERN = '^(?:tool:)?[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$';
export const DATA_CLASS_PATTERN = '^[A-Za-z][A-Za-z0-9_-]*$';
/** RFC 6901: empty (the whole value) or `/`-separated segments with `~0`/`~1` escapes. */
export const JSON_POINTER_PATTERN = '^(?:/(?:[^~/]|~[01])*)*$';
/** `30s`, `5m`, `1h`, `1d`. */
export const WINDOW_PATTERN = '^[1-9][0-9]{0,5}[smhd]$';

const text = (maxLength: number): Record<string, unknown> => ({ type: 'string', maxLength });
const listOf = (ref: string, minItems: number): Record<string, unknown> => ({
  type: 'array',
  minItems,
  uniqueItems: true,
  items: { $ref: ref },
});

export const AGENT_CONTRACT_SCHEMA: Readonly<Record<string, unknown>> = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: AGENT_CONTRACT_SCHEMA_ID,
  title: 'Charter agent contract',
  description: 'apiVersion charter/v1, kind AgentContract. See docs/contracts.md.',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: CONTRACT_API_VERSION },
    kind: { const: CONTRACT_KIND },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { $ref: '#/$defs/slug' },
        description: text(4000),
        owner: text(200),
      },
    },
    spec: { $ref: '#/$defs/spec' },
  },
  $defs: {
    slug: { type: 'string', minLength: 1, maxLength: 64, pattern: SLUG_PATTERN },
    actionName: { type: 'string', minLength: 1, maxLength: 64, pattern: ACTION_NAME_PATTERN },
    actionRef: { type: 'string', minLength: 1, maxLength: 69, pattern: ACTION_REF_PATTERN },
    dataClass: { type: 'string', minLength: 1, maxLength: 64, pattern: DATA_CLASS_PATTERN },
    jsonPointer: { type: 'string', maxLength: 1000, pattern: JSON_POINTER_PATTERN },
    window: { type: 'string', pattern: WINDOW_PATTERN },
    complexity: { type: 'integer', minimum: MIN_COMPLEXITY, maximum: MAX_COMPLEXITY },
    maturity: { enum: [...MATURITY_LEVELS] },
    subjectName: { type: 'string', minLength: 1, maxLength: 200 },
    userSchema: {
      description: 'An embedded JSON Schema (draft 2020-12): an object or a boolean.',
      type: ['object', 'boolean'],
    },
    actionRefs: listOf('#/$defs/actionRef', 1),
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        failMode: { enum: ['closed', 'open'] },
        flags: {
          type: 'object',
          additionalProperties: false,
          properties: {
            streaming: { type: 'boolean' },
            canvas: { type: 'boolean' },
            formGovernance: { type: 'boolean' },
            emergencyBypass: { type: 'boolean' },
          },
        },
        actions: {
          type: 'object',
          propertyNames: { $ref: '#/$defs/actionName' },
          additionalProperties: { $ref: '#/$defs/actionSpec' },
        },
        tools: {
          type: 'object',
          propertyNames: { $ref: '#/$defs/actionName' },
          additionalProperties: { $ref: '#/$defs/toolSpec' },
        },
        dataClasses: { type: 'array', items: { $ref: '#/$defs/customDataClass' } },
        classification: { type: 'array', items: { $ref: '#/$defs/fieldClassification' } },
        outbound: { type: 'array', items: { $ref: '#/$defs/outboundRule' } },
        rules: { type: 'array', items: { $ref: '#/$defs/ruleGroup' } },
      },
    },
    actionSpec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        complexity: { $ref: '#/$defs/complexity' },
        description: text(4000),
        input: { $ref: '#/$defs/userSchema' },
        output: { $ref: '#/$defs/userSchema' },
      },
    },
    toolSpec: {
      type: 'object',
      additionalProperties: false,
      required: ['complexity'],
      properties: {
        complexity: { $ref: '#/$defs/complexity' },
        description: text(4000),
        arguments: { $ref: '#/$defs/userSchema' },
        output: { $ref: '#/$defs/userSchema' },
      },
    },
    customDataClass: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { $ref: '#/$defs/dataClass' },
        description: text(4000),
      },
    },
    fieldClassification: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'path', 'class'],
      properties: {
        id: { $ref: '#/$defs/slug' },
        path: { $ref: '#/$defs/jsonPointer' },
        actions: { $ref: '#/$defs/actionRefs' },
        target: { enum: ['input', 'output'] },
        class: { $ref: '#/$defs/dataClass' },
        redact: { enum: ['mask', 'hash', 'remove'] },
      },
    },
    outboundRule: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'classes', 'effect'],
      properties: {
        id: { $ref: '#/$defs/slug' },
        classes: listOf('#/$defs/dataClass', 1),
        actions: { $ref: '#/$defs/actionRefs' },
        effect: { enum: ['deny', 'redact', 'escalate'] },
        reason: text(1000),
      },
    },
    ruleGroup: {
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: {
        id: { $ref: '#/$defs/slug' },
        description: text(4000),
        subjects: {
          type: 'object',
          additionalProperties: false,
          properties: {
            agents: listOf('#/$defs/subjectName', 1),
            roles: listOf('#/$defs/subjectName', 1),
            maturity: listOf('#/$defs/maturity', 1),
          },
        },
        complexity: {
          type: 'object',
          propertyNames: { $ref: '#/$defs/actionRef' },
          additionalProperties: { $ref: '#/$defs/complexity' },
        },
        tools: {
          type: 'object',
          additionalProperties: false,
          properties: {
            allow: listOf('#/$defs/actionName', 0),
            deny: listOf('#/$defs/actionName', 0),
          },
        },
        deny: { type: 'array', items: { $ref: '#/$defs/denyRule' } },
        quotas: { type: 'array', items: { $ref: '#/$defs/quotaRule' } },
        approvals: { type: 'array', items: { $ref: '#/$defs/approvalRule' } },
        tokenCap: { type: 'integer', minimum: 1 },
      },
    },
    denyRule: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'actions'],
      properties: {
        id: { $ref: '#/$defs/slug' },
        actions: { $ref: '#/$defs/actionRefs' },
        reason: text(1000),
      },
    },
    quotaRule: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'metric', 'limit', 'window'],
      properties: {
        id: { $ref: '#/$defs/slug' },
        actions: { $ref: '#/$defs/actionRefs' },
        metric: { enum: [...QUOTA_METRICS] },
        limit: { type: 'number', minimum: 0 },
        window: { $ref: '#/$defs/window' },
      },
    },
    approvalRule: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'actions'],
      properties: {
        id: { $ref: '#/$defs/slug' },
        actions: { $ref: '#/$defs/actionRefs' },
        when: { type: 'array', items: { $ref: '#/$defs/condition' } },
        reason: text(1000),
      },
    },
    condition: {
      type: 'object',
      additionalProperties: false,
      required: ['path', 'op'],
      properties: {
        path: { $ref: '#/$defs/jsonPointer' },
        op: { enum: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'matches'] },
        value: true,
      },
    },
  },
};

/** The published file's exact text. */
export function agentContractSchemaText(): string {
  return JSON.stringify(AGENT_CONTRACT_SCHEMA, null, 2) + '\n';
}
