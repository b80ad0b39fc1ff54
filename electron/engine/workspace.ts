/** The engine's entry point: open a workspace and use its services. */
export { openWorkspace } from './workspace/open-workspace.ts';
export type { OpenWorkspaceOptions, Workspace } from './workspace/open-workspace.ts';
