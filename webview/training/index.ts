/**
 * Entry point of the training panel for the webview bundle. Mount it where the editor wants the side
 * panel; `subscribe` should feed it every host message whose type starts with 'training/', and `post`
 * sends to the extension (acquireVsCodeApi().postMessage). See extension/training/register.ts for the
 * host half (handleMessage, and run messages to the model's panels).
 *
 * It imports CSS (its own and uPlot's): esbuild then emits a .css file beside the webview bundle, which
 * the webview's HTML must link.
 */
import './training.css';
export { TrainingPanel, type TrainingPanelProps } from './TrainingPanel';
export { checkSection, type Section } from './checks';
export type { HostToPanel, PanelToHost } from '../../protocol/training';
export { isPanelToHost } from '../../protocol/training';

/** True for messages the training panel handles, so the editor's router can forward them. */
export const isTrainingMessage = (m: unknown): boolean =>
  typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string' && (m as { type: string }).type.startsWith('training/');
