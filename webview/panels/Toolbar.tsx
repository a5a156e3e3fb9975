/** The strip above the canvas: scope (model or a block definition), layout and view actions, and the file-level commands. */
import type { HostCommand } from '../../protocol/editor';

export function Toolbar({
  scopes,
  scope,
  setScope,
  trusted,
  onLayout,
  onFit,
  command,
  sideTab,
  setSideTab,
  totalParams,
}: {
  scopes: string[];
  scope: string;
  setScope: (s: string) => void;
  trusted: boolean;
  onLayout: () => void;
  onFit: () => void;
  command: (c: HostCommand) => void;
  sideTab: 'inspector' | 'training';
  setSideTab: (t: 'inspector' | 'training') => void;
  totalParams: number;
}) {
  return (
    <div className="nnb-toolbar" role="toolbar">
      <select className="nnb-scope" value={scope} onChange={(e) => setScope(e.target.value)} aria-label="Shown scope" data-testid="scope">
        <option value="">Model</option>
        {scopes.map((s) => (
          <option key={s} value={s}>
            Block: {s}
          </option>
        ))}
      </select>
      <button onClick={onLayout} title="Auto layout (Shift+L)">
        Layout
      </button>
      <button onClick={onFit} title="Fit view (Shift+1)">
        Fit
      </button>
      <span className="nnb-sep" />
      <button onClick={() => command('checkModel')} title="NN Blocks: Check Model">
        Check
      </button>
      <button onClick={() => command('generateTypeScript')} title="NN Blocks: Generate TypeScript">
        TypeScript
      </button>
      <button onClick={() => command('generatePyTorch')} title="NN Blocks: Generate PyTorch">
        PyTorch
      </button>
      <button onClick={() => command('exportOnnx')} title="NN Blocks: Export ONNX">
        ONNX
      </button>
      <span className="nnb-spacer" />
      <span className="nnb-total" title="trainable parameters">
        {totalParams.toLocaleString('en-US')} params
      </span>
      <div className="nnb-tabs" role="tablist">
        <button role="tab" aria-selected={sideTab === 'inspector'} onClick={() => setSideTab('inspector')}>
          Inspector
        </button>
        <button
          role="tab"
          aria-selected={sideTab === 'training'}
          onClick={() => setSideTab('training')}
          title={trusted ? 'Training' : 'Training is disabled in an untrusted workspace'}
          data-testid="tab-training"
        >
          Training
        </button>
      </div>
    </div>
  );
}
