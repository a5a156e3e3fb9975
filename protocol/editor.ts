/**
 * The messages between the extension host and the graph editor webview (training's are in training.ts),
 * as zod schemas: the types and the guards both sides use are derived from them, so a message cannot be
 * added to one without the other. The host parses everything it receives (messages.ts) and logs what
 * it refuses; the webview parses what it receives the same way.
 */
import { z } from 'zod';
import { EditOpSchema } from './edits';
import { UiStateSchema } from './ui_state';

/** What the webview may ask the host to run. Undo and redo are not among them: VS Code gets those keys from the webview itself. */
export const HOST_COMMANDS = ['generateTypeScript', 'generatePyTorch', 'exportOnnx', 'checkModel', 'train', 'openText'] as const;
export const HostCommandSchema = z.enum(HOST_COMMANDS);
export type HostCommand = z.infer<typeof HostCommandSchema>;

/** Extension host → editor webview. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  /**
   * The document text as it is now (after every edit, undo, revert or change on disk). `edit`: the
   * number of this panel's last edit that the text includes, so a panel whose later edits are still on
   * their way drops it (its own canvas is newer) and waits for the text that includes them.
   */
  z.object({ type: z.literal('document'), text: z.string(), version: z.number().int(), edit: z.number().int(), fileName: z.string() }),
  /** An edit the host could not apply, with the reason to show. */
  z.object({ type: z.literal('editRefused'), reason: z.string() }),
  /** Workspace Trust: untrusted workspaces can view and edit, but not train or run code. */
  z.object({ type: z.literal('trust'), trusted: z.boolean() }),
  /** The editor state the host kept for this document (answer to 'ready'), null when it has none. */
  z.object({ type: z.literal('uiState'), state: UiStateSchema.nullable() }),
  /**
   * The user's settings the canvas's analysis follows (sent on 'ready' and when they change), so its
   * badges and problems list say what the Problems panel says: `warnParams` is
   * `nnblocks.sizeWarningParameters`, null for the default.
   */
  z.object({ type: z.literal('settings'), warnParams: z.number().nonnegative().nullable() }),
  /** Show this node, selected (a click on its entry in VS Code's Problems panel: extension/editor/reveal_node.ts). */
  z.object({ type: z.literal('reveal'), id: z.string() }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

/** Editor webview → extension host. */
export const EditorMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** `seq`: this panel's edit counter (1, 2, ...), echoed in the documents that include the edit. */
  z.object({ type: z.literal('edit'), op: EditOpSchema, seq: z.number().int().positive() }),
  z.object({ type: z.literal('command'), command: HostCommandSchema }),
  /** The editor state changed: the host keeps it for the document (see ui_state.ts). */
  z.object({ type: z.literal('uiState'), state: UiStateSchema }),
  /** Something failed inside the webview (an exception while rendering): the host logs it. */
  z.object({ type: z.literal('webviewError'), message: z.string() }),
]);
export type EditorMessage = z.infer<typeof EditorMessageSchema>;

/** The element of the page's loading state (extension/editor/html.ts), which the webview removes once it shows the document or an error. */
export const BOOT_ELEMENT_ID = 'nnb-boot';
