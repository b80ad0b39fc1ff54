import type { Decision, DecisionRequest, Usage } from '../../../shared/domain.ts';
import { QUOTA_METRICS } from '../../../shared/domain.ts';
import { parseScenario } from '../../engine/testing/scenario.ts';
import type { CaseRequest } from '../../engine/testing/suite.ts';
import type { Command, CommandContext } from '../command.ts';
import { CommandError, usageError } from '../command-error.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatDecision } from '../format/decision.ts';
import { displayPath } from '../format/paths.ts';
import { readInputFile } from '../input.ts';

interface Step {
  readonly name: string;
  readonly request: DecisionRequest;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Decide one request (or a scenario file) and show the decision with its reasons',
  details: 'Decides against the workspace at --db: its agents, sessions, contracts and settings. The decision is\n' +
    'recorded in the audit trail (and counts against quotas) unless --no-record makes it a what-if.\n' +
    'Exit 0 whatever the outcome; the outcome is the output.',
  options: {
    agent: { type: 'string', value: 'ID', description: 'Explicit agent id (rung: explicit)' },
    session: { type: 'string', value: 'ID', description: 'Session id (rung: session)' },
    action: { type: 'string', value: 'NAME', description: 'Action, e.g. stream_chat or tool:read_file' },
    input: { type: 'string', value: 'JSON', description: 'The action input / tool arguments, as JSON' },
    output: { type: 'string', value: 'JSON', description: 'The output to release (DLP, output schema), as JSON' },
    usage: { type: 'string', value: 'JSON', description: 'Resource use, e.g. {"tokens":300,"cost":2}' },
    file: { type: 'string', value: 'FILE', description: 'A scenario file (kind: Scenario) with several steps' },
    'no-record': { type: 'boolean', description: 'Do not write the audit trail or consume quotas' },
  },
  maxArgs: 0,
  workspace: 'create',
  examples: [
    'charter simulate --action stream_chat --input \'{"messages":[{"role":"user","content":"hi"}]}\'',
    'charter simulate --agent sue --action issue_refund --input \'{"orderId":"ORD-000123","amount":250,"currency":"EUR"}\' --no-record',
    'charter simulate --file scenarios/refund.yaml --json',
  ],
  async run(ctx) {
    const steps = ctx.options.string('file') !== undefined ? scenarioSteps(ctx) : [{ name: 'request', request: requestFromFlags(ctx) }];
    const record = !ctx.options.flag('no-record');
    const workspace = await ctx.workspace();
    const results: { name: string; decision: Decision; auditSeq: number | null }[] = [];
    for (const step of steps) {
      const decision = workspace.governance.decide(step.request, { record });
      results.push({ name: step.name, decision, auditSeq: record ? workspace.audit.head().seq : null });
    }
    if (ctx.json) {
      ctx.out.json(ctx.options.string('file') !== undefined ? { steps: results } : { decision: results[0]!.decision, auditSeq: results[0]!.auditSeq });
      return ExitCode.ok;
    }
    results.forEach((result, i) => {
      if (steps.length > 1) ctx.out.line(`${i > 0 ? '\n' : ''}${ctx.out.style.bold(`${i + 1}. ${result.name}`)}`);
      for (const line of formatDecision(result.decision, ctx.out.style, { recordedSeq: result.auditSeq })) ctx.out.line(line);
    });
    return ExitCode.ok;
  },
};

function requestFromFlags(ctx: CommandContext): DecisionRequest {
  const action = ctx.options.string('action');
  if (action === undefined || action === '') throw usageError('charter simulate needs --action NAME (or --file SCENARIO)\nRun "charter simulate --help" for usage.');
  const agent = ctx.options.string('agent');
  const session = ctx.options.string('session');
  const input = ctx.options.jsonValue('input');
  const output = ctx.options.jsonValue('output');
  const usage = ctx.options.jsonValue('usage');
  if (usage !== undefined) checkUsage(usage);
  return {
    action,
    ...(agent !== undefined ? { agentId: agent } : {}),
    ...(session !== undefined ? { sessionId: session } : {}),
    ...(input !== undefined ? { input } : {}),
    ...(output !== undefined ? { output } : {}),
    ...(usage !== undefined ? { usage: usage as Usage } : {}),
  };
}

function checkUsage(usage: unknown): void {
  if (usage === null || typeof usage !== 'object' || Array.isArray(usage)) throw usageError('--usage must be a JSON object such as {"tokens":300}');
  for (const [key, value] of Object.entries(usage)) {
    if (!(QUOTA_METRICS as readonly string[]).includes(key)) throw usageError(`--usage: unknown metric "${key}"; known: ${QUOTA_METRICS.join(', ')}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw usageError(`--usage: ${key} must be a number ≥ 0`);
  }
}

function scenarioSteps(ctx: CommandContext): Step[] {
  for (const flag of ['agent', 'session', 'action', 'input', 'output', 'usage']) {
    if (ctx.options.string(flag) !== undefined) throw usageError(`--file and --${flag} do not go together: the scenario names its requests`);
  }
  const file = ctx.options.string('file')!;
  const shown = displayPath(file, ctx.cwd);
  const parsed = parseScenario(readInputFile(file, 'scenario', ctx.cwd), shown);
  if (!parsed.ok) throw new CommandError(ExitCode.input, `${shown}: not a valid scenario`, parsed.diagnostics);
  return parsed.scenario.steps.map((step) => ({ name: step.name, request: toRequest(step.request) }));
}

function toRequest(request: CaseRequest): DecisionRequest {
  return {
    action: request.action,
    ...(request.agent !== undefined ? { agentId: request.agent } : {}),
    ...(request.session !== undefined ? { sessionId: request.session } : {}),
    ...(request.input !== undefined ? { input: request.input } : {}),
    ...(request.output !== undefined ? { output: request.output } : {}),
    ...(request.usage !== undefined ? { usage: request.usage } : {}),
  };
}
