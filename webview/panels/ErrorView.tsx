/** Shown instead of the canvas when the file is not valid JSON or not a valid model: never overwritten by the editor. */
import type { DocumentIssue } from '../../engine/graph/parse';
import { Button } from '../elements';

export function ErrorView({ fileName, issues, openText }: { fileName: string; issues: DocumentIssue[]; openText: () => void }) {
  return (
    <div className="nnb-error-view" role="alert" data-testid="error-view">
      <h2>{fileName} cannot be shown as a graph</h2>
      <p>The editor will not change this file until it is a valid NN Blocks model. Fix it in the text editor:</p>
      <ul>
        {issues.map((i, k) => (
          <li key={k}>
            {i.line !== undefined && (
              <strong>
                line {i.line}
                {i.column !== undefined ? `:${i.column}` : ''}
              </strong>
            )}{' '}
            <code>{i.path || '(document)'}</code> {i.message}
          </li>
        ))}
      </ul>
      <Button onClick={openText} testId="open-text">
        Open in Text Editor
      </Button>
    </div>
  );
}
