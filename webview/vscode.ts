/**
 * The one channel to the extension host. VS Code injects `acquireVsCodeApi`; the browser tests' host page
 * defines a stand-in with the same three functions. It may be called only once per page, hence the cache.
 */
import type { WebviewMessage } from '../protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  /** Returns the state it was given (so never return its result from a React effect). */
  setState<T>(state: T): T;
}
declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;
function vscode(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

export const postToHost = (message: WebviewMessage) => vscode().postMessage(message);
export const loadState = (): unknown => vscode().getState();
export function saveState(state: unknown): void {
  vscode().setState(state);
}
