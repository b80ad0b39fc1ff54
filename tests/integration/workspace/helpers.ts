import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenWorkspaceOptions, Workspace } from '../../../electron/engine/workspace.ts';
import { openWorkspace } from '../../../electron/engine/workspace.ts';

export interface TempWorkspace {
  readonly ws: Workspace;
  readonly dir: string;
  readonly path: string;
  dispose(): Promise<void>;
}

export async function tempWorkspace(options: OpenWorkspaceOptions = {}): Promise<TempWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'charter-ws-'));
  const path = join(dir, 'workspace.db');
  const ws = await openWorkspace(path, { actor: 'tester', ...options });
  return {
    ws,
    dir,
    path,
    dispose: async () => {
      await ws.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const SUPPORT_CONTRACT = `apiVersion: charter/v1
kind: AgentContract
metadata:
  name: support
  description: Support agents.
spec:
  actions:
    submit_form:
      input:
        type: object
        required: [amount]
        properties:
          amount: { type: number }
          email: { type: string }
  classification:
    - { id: email, path: /email, actions: [submit_form], class: PII, redact: mask }
  rules:
    - id: refunds
      approvals:
        - id: big
          actions: [submit_form]
          when: [{ path: /amount, op: gt, value: 500 }]
          reason: Refunds over 500 need a human.
`;
