import { describe, expect, it } from 'vitest';
import { decideApproval, getApproval, insertApproval, listApprovals } from '../../../electron/engine/store/approvals-repository.ts';
import {
  getExecution, insertExecution, listExecutions, updateExecutionStatus,
} from '../../../electron/engine/store/executions-repository.ts';
import { charterError } from './expect-charter-error.ts';
import { useTempWorkspace } from './temp-dir.ts';

const workspace = useTempWorkspace();

describe('executions repository', () => {
  it('round-trips an execution with a generated id and trace id', async () => {
    const db = await workspace();
    const execution = insertExecution(db, { agentId: 'support', action: 'stream_chat', status: 'running', decisionOutcome: 'allow',
      contractName: 'support', contractVersion: 3 });
    expect(execution).toMatchObject({ status: 'running', parentId: null, endedAt: null, error: null });
    expect(execution.traceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(getExecution(db, execution.id)).toEqual(execution);
    expect(db.sqlite.prepare('select contract_name, contract_version from executions').get()).toEqual({ contract_name: 'support', contract_version: 3 });
    expect(getExecution(db, 'nope')).toBeUndefined();
  });

  it('links children to parents and refuses unknown parents', async () => {
    const db = await workspace();
    const parent = insertExecution(db, { agentId: 'a', action: 'submit_form', status: 'running', decisionOutcome: 'allow', traceId: 't1' });
    const child = insertExecution(db, { agentId: 'a', action: 'tool:search', status: 'running', decisionOutcome: 'allow', parentId: parent.id, traceId: 't1' });
    expect(listExecutions(db, { parentId: parent.id })).toEqual([child]);
    expect(charterError(() => insertExecution(db, { agentId: 'a', action: 'x', status: 'running', decisionOutcome: 'allow', parentId: 'ghost' })).code).toBe('not_found');
  });

  it('closes an execution once: terminal statuses are final', async () => {
    const db = await workspace();
    const execution = insertExecution(db, { id: 'e1', agentId: 'a', action: 'stream_chat', status: 'awaiting_approval', decisionOutcome: 'escalate' });
    expect(updateExecutionStatus(db, 'e1', 'running')).toMatchObject({ status: 'running', endedAt: null });
    const failed = updateExecutionStatus(db, 'e1', 'failed', { error: 'provider timed out' });
    expect(failed).toMatchObject({ status: 'failed', error: 'provider timed out' });
    expect(failed.endedAt && failed.endedAt >= execution.startedAt).toBe(true);
    const error = charterError(() => updateExecutionStatus(db, 'e1', 'completed'));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('execution e1 is already failed; its status cannot change');
    expect(getExecution(db, 'e1')?.status).toBe('failed');
    expect(charterError(() => updateExecutionStatus(db, 'ghost', 'completed')).code).toBe('not_found');
  });

  it('records a blocked execution as already ended', async () => {
    const db = await workspace();
    const blocked = insertExecution(db, { agentId: 'a', action: 'submit_form', status: 'blocked', decisionOutcome: 'deny', startedAt: '2025-01-01T00:00:00.000Z' });
    expect(blocked.endedAt).toBe('2025-01-01T00:00:00.000Z');
  });

  it('lists newest first, filtered by agent, status and trace, with a limit', async () => {
    const db = await workspace();
    const at = (minute: number): string => `2025-01-01T00:0${minute}:00.000Z`;
    insertExecution(db, { id: 'e1', agentId: 'a', action: 'x', status: 'completed', decisionOutcome: 'allow', startedAt: at(1), traceId: 't' });
    insertExecution(db, { id: 'e2', agentId: 'b', action: 'x', status: 'running', decisionOutcome: 'allow', startedAt: at(2) });
    insertExecution(db, { id: 'e3', agentId: 'a', action: 'x', status: 'running', decisionOutcome: 'allow', startedAt: at(3), traceId: 't' });
    insertExecution(db, { id: 'e4', agentId: 'a', action: 'x', status: 'running', decisionOutcome: 'allow', startedAt: at(3) });
    const ids = (filter: Parameters<typeof listExecutions>[1]): string[] => listExecutions(db, filter).map((e) => e.id);
    expect(ids({})).toEqual(['e4', 'e3', 'e2', 'e1']);
    expect(ids({ agentId: 'a', status: 'running' })).toEqual(['e4', 'e3']);
    expect(ids({ traceId: 't' })).toEqual(['e3', 'e1']);
    expect(ids({ limit: 2 })).toEqual(['e4', 'e3']);
    expect(ids({ startedBefore: at(3) })).toEqual(['e2', 'e1']);
    expect(charterError(() => listExecutions(db, { limit: -1 })).code).toBe('invalid_argument');
  });
});

describe('approvals repository', () => {
  it('round-trips a pending approval and lists by status, newest first', async () => {
    const db = await workspace();
    insertExecution(db, { id: 'e1', agentId: 'a', action: 'submit_form', status: 'awaiting_approval', decisionOutcome: 'escalate' });
    const first = insertApproval(db, { executionId: 'e1', agentId: 'a', action: 'submit_form', reason: 'payments over 100 need a person', requestedAt: '2025-01-01T00:00:00.000Z' });
    const second = insertApproval(db, { executionId: 'e1', agentId: 'a', action: 'submit_form', reason: 'again', requestedAt: '2025-01-02T00:00:00.000Z' });
    expect(first).toMatchObject({ status: 'pending', decidedAt: null, decidedBy: null });
    expect(getApproval(db, first.id)).toEqual(first);
    expect(listApprovals(db, 'pending').map((a) => a.id)).toEqual([second.id, first.id]);
    expect(listApprovals(db, 'approved')).toEqual([]);
  });

  it('decides once: a second verdict is refused and the first stands', async () => {
    const db = await workspace();
    insertExecution(db, { id: 'e1', agentId: 'a', action: 'submit_form', status: 'awaiting_approval', decisionOutcome: 'escalate' });
    const approval = insertApproval(db, { id: 'p1', executionId: 'e1', agentId: 'a', action: 'submit_form', reason: 'r' });
    const decided = decideApproval(db, 'p1', 'approved', 'dana', '2025-01-03T00:00:00.000Z');
    expect(decided).toEqual({ ...approval, status: 'approved', decidedBy: 'dana', decidedAt: '2025-01-03T00:00:00.000Z' });
    const error = charterError(() => decideApproval(db, 'p1', 'denied', 'eve'));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('approval p1 was already approved by dana');
    expect(listApprovals(db).map((a) => a.status)).toEqual(['approved']);
    expect(charterError(() => decideApproval(db, 'ghost', 'denied', 'eve')).code).toBe('not_found');
    expect(charterError(() => decideApproval(db, 'p1', 'maybe' as 'denied', 'eve')).code).toBe('invalid_argument');
  });

  it('refuses an approval for an execution that does not exist', async () => {
    const db = await workspace();
    expect(charterError(() => insertApproval(db, { executionId: 'ghost', agentId: 'a', action: 'x', reason: 'r' })).code).toBe('not_found');
  });
});
