/**
 * The editor never goes blank: an exception while rendering (React would otherwise unmount the whole
 * page, leaving it empty) shows what failed with a way back, and is reported to the host's log.
 */
import { Component, type ReactNode } from 'react';
import { BOOT_ELEMENT_ID } from '../protocol/editor';
import { postToHost } from './vscode';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode; openText: () => void }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: { componentStack?: string | null }): void {
    document.getElementById(BOOT_ELEMENT_ID)?.remove();
    postToHost({ type: 'webviewError', message: `${error.stack ?? error.message}${info.componentStack ?? ''}` });
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <div className="nnb-error-view" role="alert" data-testid="render-error">
        <h2>The graph editor failed to draw this model</h2>
        <p>
          <code>{error.message}</code>
        </p>
        <p>The file is unchanged. The error is in the NN Blocks output channel.</p>
        <button onClick={() => this.setState({ error: null })}>Try again</button> <button onClick={this.props.openText}>Open in Text Editor</button>
      </div>
    );
  }
}
