/** Starting points for a new contract, offered by "New from template" in the Contracts screen. */
import type { ContractTemplate } from '../../shared/api/types.ts';

export const CONTRACT_TEMPLATES: readonly ContractTemplate[] = [
  {
    id: 'classroom-assistant',
    title: 'Classroom assistant',
    description: 'A chat assistant for students: canvas content is fine, streaming is kept for interns and up.',
    source: `apiVersion: charter/v1
kind: AgentContract
metadata:
  name: classroom-assistant
  description: Chat assistant used by students in class.
spec:
  failMode: closed
  flags:
    streaming: true
    canvas: true
  rules:
    - id: students
      description: Students may present content but may not stream replies.
      subjects:
        maturity: [student]
      deny:
        - id: no-streaming-for-students
          actions: [stream_chat, llm_stream]
          reason: Students may not stream chat replies; ask a supervisor to promote the agent.
      tokenCap: 500
`,
  },
  {
    id: 'support-assistant',
    title: 'Support assistant with tools',
    description: 'A support agent that may search the knowledge base, with a call quota and an approval for refunds.',
    source: `apiVersion: charter/v1
kind: AgentContract
metadata:
  name: support-assistant
  description: Answers customer questions and looks things up.
spec:
  failMode: closed
  tools:
    search_kb:
      complexity: 1
      description: Search the knowledge base.
      arguments:
        type: object
        required: [query]
        properties:
          query: { type: string, maxLength: 200 }
    issue_refund:
      complexity: 3
      description: Refund an order.
  rules:
    - id: support
      subjects:
        roles: [support]
      tools:
        allow: [search_kb, issue_refund]
      quotas:
        - id: calls-per-minute
          metric: calls
          limit: 60
          window: 1m
      approvals:
        - id: large-refunds
          actions: [tool:issue_refund]
          when:
            - { path: /amount, op: gt, value: 100 }
          reason: Refunds over 100 need a human.
`,
  },
  {
    id: 'blank',
    title: 'Blank contract',
    description: 'The smallest valid contract: the built-in catalog and maturity gates apply.',
    source: `apiVersion: charter/v1
kind: AgentContract
metadata:
  name: my-contract
spec:
  failMode: closed
`,
  },
];
