/**
 * The messages between the extension host and the editor webview, defined once for both sides. The host
 * validates every message it receives with `isWebviewMessage` before acting on it; training messages
 * ('training/*') are defined in ../training/protocol.ts and routed to the training manager.
 */
import { isEditOp, type EditOp } from '../../engine/graph/edits';

/** What the webview may ask the host to run. Undo and redo are not among them: VS Code gets those keys from the webview itself. */
export type HostCommand = 'generateTypeScript' | 'generatePyTorch' | 'exportOnnx' | 'checkModel' | 'train' | 'openText';
const HOST_COMMANDS = new Set<HostCommand>(['generateTypeScript', 'generatePyTorch', 'exportOnnx', 'checkModel', 'train', 'openText']);

/** Extension host → webview. */
export type HostMessage =
  /** The document text as it is now (after every edit, undo, revert or change on disk). */
  | { type: 'document'; text: string; version: number; fileName: string }
  /** An edit the host could not apply, with the reason to show. */
  | { type: 'editRefused'; reason: string }
  /** Workspace Trust: untrusted workspaces can view and edit, but not train or run code. */
  | { type: 'trust'; trusted: boolean };

/** Webview → extension host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'edit'; op: EditOp }
  | { type: 'command'; command: HostCommand };

export function isWebviewMessage(m: unknown): m is WebviewMessage {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
      return true;
    case 'edit':
      return isEditOp(o.op);
    case 'command':
      return typeof o.command === 'string' && HOST_COMMANDS.has(o.command as HostCommand);
    default:
      return false;
  }
}

export function isHostMessage(m: unknown): m is HostMessage {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  return (
    (o.type === 'document' && typeof o.text === 'string' && typeof o.version === 'number') ||
    (o.type === 'editRefused' && typeof o.reason === 'string') ||
    (o.type === 'trust' && typeof o.trusted === 'boolean')
  );
}
