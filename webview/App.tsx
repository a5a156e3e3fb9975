/**
 * The editor webview: receives the document text from the extension, shows it as a graph (or an error
 * view when it is not a valid model), and sends every change back as an edit operation. Edits are
 * applied locally at once (so the canvas answers immediately) and the host's document, which follows,
 * is the truth.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider, type Viewport } from '@xyflow/react';
import { analyzeDocument, type Analysis } from '../engine/graph/analyze';
import { layerSpec } from '../engine/graph/catalogue';
import type { ModelDocument, SharedNode } from '../engine/graph/format';
import { validateDocument } from '../engine/graph/parse';
import { serializeDocument } from '../engine/graph/serialize';
import { applyEdit, copyNodes, isClipboardPayload, locate, type EditOp, type Placement } from '../engine/graph/edits';
import { placeNodes } from '../engine/graph/scopes';
import { isIdentifier } from '../engine/graph/analyze';
import { Canvas, type DropRequest } from './Canvas';
import { CanvasActionsContext, type CanvasActions } from './graph/actions';
import { autoLayout } from './graph/autoLayout';
import { revealTarget } from './graph/reveal';
import { outPortId, scopeRoot, toFlow, type FlowNodeT } from './graph/toFlow';
import { ContextMenu, type MenuItem } from './panels/ContextMenu';
import { ErrorView } from './panels/ErrorView';
import { Inspector } from './panels/Inspector';
import { Palette, type PaletteItem } from './panels/Palette';
import { Problems } from './panels/Problems';
import { Prompt } from './panels/Prompt';
import { Toolbar } from './panels/Toolbar';
import { isHostMessage, type HostCommand } from './protocol/messages';
import { initialUiState, persistUiState, type UiState } from './state';
import { TrainingPanel, isTrainingMessage, type HostToPanel } from './training';
import { stats } from './stats';
import { postToHost } from './vscode';


type Menu = { x: number; y: number; items: MenuItem[] } | null;
type PromptState = { title: string; initial: string; validate: (v: string) => string | null; done: (v: string) => void } | null;

const trainingListeners = new Set<(m: HostToPanel) => void>();

export function App() {
  const [text, setText] = useState<string | null>(null);
  const [fileName, setFileName] = useState('model.nnb.json');
  const [trusted, setTrusted] = useState(true);
  const [ui, setUi] = useState<UiState>(initialUiState);
  const [notice, setNotice] = useState<string | null>(null);
  const [menu, setMenu] = useState<Menu>(null);
  const [prompt, setPrompt] = useState<PromptState>(null);
  const [hoverTie, setHoverTie] = useState<string | null>(null);
  const [fitRequest, setFitRequest] = useState(0);
  const [focus, setFocus] = useState<{ id: string; seq: number } | null>(null);

  useEffect(() => {
    persistUiState(ui);
  }, [ui]);
  const update = useCallback((patch: Partial<UiState> | ((u: UiState) => Partial<UiState>)) => setUi((u) => ({ ...u, ...(typeof patch === 'function' ? patch(u) : patch) })), []);

  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      const m: unknown = e.data;
      if (isTrainingMessage(m)) {
        for (const l of trainingListeners) l(m as HostToPanel);
        return;
      }
      if (!isHostMessage(m)) return;
      if (m.type === 'document') {
        setText(m.text);
        setFileName(m.fileName);
      } else if (m.type === 'editRefused') setNotice(m.reason);
      else if (m.type === 'trust') setTrusted(m.trusted);
    };
    window.addEventListener('message', onMessage);
    postToHost({ type: 'ready' });
    return () => window.removeEventListener('message', onMessage);
  }, [update]);

  useEffect(() => {
    if (notice === null) return;
    const t = setTimeout(() => setNotice(null), 8000);
    return () => clearTimeout(t);
  }, [notice]);

  const validation = useMemo(() => (text === null ? null : validateDocument(text)), [text]);
  const doc: ModelDocument | null = validation?.ok ? validation.document : null;
  const analysis: Analysis | null = useMemo(() => {
    if (doc === null) return null;
    stats.analyses++;
    return analyzeDocument(doc);
  }, [doc]);
  const scope = doc && ui.scope !== '' && doc.blocks?.[ui.scope] ? ui.scope : '';
  const collapsed = useMemo(() => new Set(ui.collapsed), [ui.collapsed]);
  // Dragged positions are read through a ref: a drag is already on the canvas (React Flow's state), so
  // saving it must not rebuild the flow graph. Auto layout bumps layoutVersion to apply its positions.
  const positionsRef = useRef(ui.positions[scope || ':model']);
  positionsRef.current = ui.positions[scope || ':model'];
  const [layoutVersion, setLayoutVersion] = useState(0);
  const flow = useMemo(() => {
    if (doc === null || analysis === null) return null;
    stats.flows++;
    return toFlow(doc, analysis, scope, collapsed, positionsRef.current ?? {});
    // eslint-disable-next-line react-hooks/exhaustive-deps -- layoutVersion re-reads positionsRef
  }, [doc, analysis, scope, collapsed, layoutVersion]);

  const docRef = useRef(doc);
  docRef.current = doc;
  // The selection is what is selected on the canvas: a node that left it (deleted, reverted, folded
  // into a collapsed group, in another scope) is no longer selected, or the next Ctrl+G or Delete
  // would act on something the user cannot see.
  const onCanvas = useMemo(() => new Set(flow?.nodes.map((n) => n.id) ?? []), [flow]);
  const onCanvasRef = useRef(onCanvas);
  onCanvasRef.current = onCanvas;
  const selected = useMemo(() => (ui.selected.every((id) => onCanvas.has(id)) ? ui.selected : ui.selected.filter((id) => onCanvas.has(id))), [ui.selected, onCanvas]);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  const edit = useCallback((op: EditOp): string[] | null => {
    const current = docRef.current;
    if (current === null) return null;
    const r = applyEdit(current, op);
    if (!r.ok) {
      setNotice(r.reason);
      return null;
    }
    setNotice(null);
    setText(serializeDocument(r.doc));
    if (r.select.length > 0) update({ selected: r.select.filter((id) => locate(r.doc, id) !== undefined) });
    postToHost({ type: 'edit', op });
    return r.select;
  }, [update]);
  const editVoid = useCallback((op: EditOp) => void edit(op), [edit]);
  const command = useCallback((c: HostCommand) => postToHost({ type: 'command', command: c }), []);

  const rootId = doc ? scopeRoot(doc, scope).id : '';
  // New and pasted nodes go right after the selection when it lies in one container (after its last
  // node there), otherwise at the end of the shown scope.
  const insertPlacement = useCallback((): Placement => {
    const d = docRef.current;
    const places = d ? selectedRef.current.map((id) => locate(d, id)).filter((l) => l !== undefined) : [];
    const parent = places[0]?.parent;
    if (places.length > 0 && parent && places.every((l) => l.parent === parent)) {
      const last = places.reduce((a, b) => (b.index > a.index ? b : a));
      return { after: last.node.id };
    }
    return { container: rootId };
  }, [rootId]);

  const insert = useCallback((item: PaletteItem) => edit({ kind: 'addNode', op: item.op, block: item.block, placement: insertPlacement() }), [edit, insertPlacement]);

  const onDrop = useCallback((req: DropRequest) => {
    const container = req.container || rootId;
    const target = docRef.current ? locate(docRef.current, container)?.node : undefined;
    const placement: Placement = target?.op === 'Sequential' ? { container, index: req.index } : { container };
    const added = edit({ kind: 'addNode', op: req.op, block: req.block, placement });
    if (added && added.length === 1 && target?.op === 'Graph') {
      const key = scope || ':model';
      update((u) => ({ positions: { ...u.positions, [key]: { ...(u.positions[key] ?? {}), [added[0]]: { x: req.at.x - 100, y: req.at.y - 30 } } } }));
    }
  }, [edit, rootId, scope, update]);

  const onConnect = useCallback((s: FlowNodeT, t: FlowNodeT) => {
    const graph = t.data.graph ?? s.data.graph;
    if (graph === undefined || (s.data.graph !== undefined && t.data.graph !== undefined && s.data.graph !== t.data.graph)) {
      setNotice(`cannot connect ${s.data.title} → ${t.data.title}: connections are drawn between nodes of the same Graph; children of a Sequential run in order (reorder them with Alt+Up/Down)`);
      return;
    }
    const from = s.data.modelId;
    if (t.id === outPortId(graph)) edit({ kind: 'setOutput', graph, node: from });
    else edit({ kind: 'connect', graph, from, to: t.data.modelId });
  }, [edit]);

  const onMoved = useCallback((moves: { id: string; x: number; y: number }[]) => {
    const key = scope || ':model';
    update((u) => {
      const cur = { ...(u.positions[key] ?? {}) };
      for (const m of moves) cur[m.id] = { ...(cur[m.id] ?? {}), x: m.x, y: m.y };
      return { positions: { ...u.positions, [key]: cur } };
    });
  }, [scope, update]);

  /** Shows a node wherever it is: its block opened, the groups around it expanded, selected and centred. */
  const reveal = useCallback((id: string) => {
    const target = docRef.current ? revealTarget(docRef.current, id) : undefined;
    if (target === undefined) return;
    update((u) => ({
      scope: target.block,
      collapsed: u.collapsed.filter((c) => !target.ancestors.includes(c)),
      selected: [target.id],
      viewport: target.block === u.scope ? u.viewport : null,
    }));
    setFocus((f) => ({ id: target.id, seq: (f?.seq ?? 0) + 1 }));
  }, [update]);

  const toggleCollapse = useCallback((id: string) => update((u) => ({ collapsed: u.collapsed.includes(id) ? u.collapsed.filter((c) => c !== id) : [...u.collapsed, id] })), [update]);
  const openBlock = useCallback((name: string) => update({ scope: name, selected: [], viewport: null }), [update]);
  const actions = useMemo<CanvasActions>(() => ({ toggleCollapse, openBlock, hoverTie: setHoverTie }), [toggleCollapse, openBlock]);

  const layout = useCallback(async () => {
    if (!flow) return;
    const laid = await autoLayout(flow.nodes, flow.edges);
    const key = scope || ':model';
    const positions = Object.fromEntries(laid);
    positionsRef.current = positions;
    update((u) => ({ positions: { ...u.positions, [key]: positions } }));
    setLayoutVersion((n) => n + 1);
    setFitRequest((n) => n + 1);
  }, [flow, scope, update]);

  const askBlockName = useCallback((id: string) => {
    setPrompt({
      title: 'Block name (becomes a function in generated code)',
      initial: 'block1',
      validate: (v) => (!isIdentifier(v) ? 'letters, digits and _, not starting with a digit' : docRef.current?.blocks?.[v] ? `a block named ${v} already exists` : null),
      done: (name) => edit({ kind: 'makeBlock', id, name }),
    });
  }, [edit]);

  const menuFor = useCallback((id: string | null): MenuItem[] => {
    const d = docRef.current;
    if (d === null) return [];
    const sel = id !== null && selectedRef.current.includes(id) ? selectedRef.current : id !== null ? [id] : selectedRef.current;
    if (id !== null && !selectedRef.current.includes(id)) update({ selected: [id] });
    if (sel.length === 0) return [
      { label: 'Auto Layout', shortcut: 'Shift+L', run: () => void layout() },
      { label: 'Fit View', shortcut: 'Shift+1', run: () => setFitRequest((n) => n + 1) },
    ];
    const node = locate(d, sel[0])?.node;
    if (node === undefined) return [];
    const places = placeNodes(d);
    const here = places.get(node.id);
    const tieTargets = [...places.values()].filter((p) => p.node.id !== node.id && p.node.op === node.op && p.scope === here?.scope && !layerSpec(p.node.op)?.merge);
    const container = node.op === 'Sequential' || node.op === 'Graph';
    const items: MenuItem[] = [
      { label: 'Group as Sequential', shortcut: 'Ctrl+G', run: () => edit({ kind: 'group', ids: sel }) },
      { label: 'Ungroup', shortcut: 'Ctrl+Shift+G', disabled: node.op !== 'Sequential' || sel.length > 1, run: () => edit({ kind: 'ungroup', id: node.id }) },
      { label: collapsed.has(node.id) ? 'Expand' : 'Collapse', disabled: !container, run: () => toggleCollapse(node.id) },
      { label: 'Make Reusable Block...', disabled: sel.length > 1 || node.op === 'Block' || node.op === 'Shared', run: () => askBlockName(node.id), separatorBefore: true },
      ...(node.op === 'Block' ? [{ label: 'Edit Block Definition', run: () => openBlock((node as { block: string }).block) }] : []),
      {
        label: 'Share Weights With...',
        disabled: sel.length > 1 || container || node.op === 'Block' || node.op === 'Shared' || tieTargets.length === 0 || layerSpec(node.op)?.merge === true,
        children: tieTargets.map((p) => ({ label: `${p.node.name ?? p.node.id}  (${p.node.op})`, run: () => edit({ kind: 'shareWeights', id: node.id, ref: p.node.id }) })),
      },
      { label: 'Add Tied Copy', disabled: sel.length > 1 || container || node.op === 'Shared' || node.op === 'Block' || layerSpec(node.op)?.merge === true, run: () => edit({ kind: 'addNode', op: 'Shared', ref: node.id, placement: { after: node.id } }) },
      { label: 'Untie', disabled: node.op !== 'Shared', run: () => edit({ kind: 'untie', id: node.id }) },
      ...(node.op === 'Shared' ? [{ label: `Go to Original (${(node as SharedNode).ref})`, run: () => update({ selected: [(node as SharedNode).ref] }) }] : []),
      { label: 'Move Up', shortcut: 'Alt+Up', separatorBefore: true, disabled: sel.length > 1, run: () => edit({ kind: 'reorder', id: node.id, delta: -1 }) },
      { label: 'Move Down', shortcut: 'Alt+Down', disabled: sel.length > 1, run: () => edit({ kind: 'reorder', id: node.id, delta: 1 }) },
      { label: 'Delete', shortcut: 'Del', separatorBefore: true, run: () => edit({ kind: 'delete', ids: sel }) },
    ];
    return items;
  }, [askBlockName, collapsed, edit, layout, openBlock, toggleCollapse, update]);

  // Keyboard shortcuts on the canvas. Undo/redo (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y) are not handled here:
  // VS Code receives them from the webview and undoes the text document, whose new text flows back.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, vscode-textfield, vscode-single-select, .nnb-prompt')) return;
      const sel = selectedRef.current;
      const mod = e.ctrlKey || e.metaKey;
      if ((e.key === 'Delete' || e.key === 'Backspace') && sel.length > 0) edit({ kind: 'delete', ids: sel });
      else if (mod && !e.shiftKey && e.key.toLowerCase() === 'g' && sel.length > 0) edit({ kind: 'group', ids: sel });
      else if (mod && e.shiftKey && e.key.toLowerCase() === 'g' && sel.length === 1) edit({ kind: 'ungroup', id: sel[0] });
      else if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown') && sel.length === 1) edit({ kind: 'reorder', id: sel[0], delta: e.key === 'ArrowUp' ? -1 : 1 });
      else if (e.shiftKey && e.key === 'L') void layout();
      else if (e.shiftKey && e.code === 'Digit1') setFitRequest((n) => n + 1); // the key, whatever the layout prints on it
      else if (e.key === 'Escape') update({ selected: [] });
      else return;
      e.preventDefault();
    };
    const onCopy = (e: ClipboardEvent) => {
      const d = docRef.current;
      const sel = selectedRef.current.filter((id) => d && locate(d, id));
      if (d === null || sel.length === 0 || (e.target as HTMLElement).closest?.('input, textarea, vscode-textfield')) return;
      e.clipboardData?.setData('text/plain', JSON.stringify(copyNodes(d, sel)));
      e.preventDefault();
      if (e.type === 'cut') edit({ kind: 'delete', ids: sel });
    };
    const onPaste = (e: ClipboardEvent) => {
      if ((e.target as HTMLElement).closest?.('input, textarea, vscode-textfield')) return;
      let payload: unknown;
      try {
        payload = JSON.parse(e.clipboardData?.getData('text/plain') ?? '');
      } catch {
        return;
      }
      if (!isClipboardPayload(payload)) return;
      e.preventDefault();
      edit({ kind: 'paste', payload, placement: insertPlacement() });
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [edit, insertPlacement, layout, update]);

  const onSelect = useCallback((changes: { id: string; selected: boolean }[]) => {
    update((u) => {
      const next = u.selected.filter((id) => onCanvasRef.current.has(id) && !changes.some((c) => c.id === id && !c.selected));
      for (const c of changes) if (c.selected && !next.includes(c.id)) next.push(c.id);
      return next.length === u.selected.length && next.every((x, i) => x === u.selected[i]) ? {} : { selected: next };
    });
  }, [update]);
  const onViewport = useCallback((v: Viewport) => update({ viewport: v }), [update]);
  const onContextMenu = useCallback((e: React.MouseEvent, id: string | null) => setMenu({ x: e.clientX, y: e.clientY, items: menuFor(id) }), [menuFor]);
  const blockNames = useMemo(() => Object.keys(doc?.blocks ?? {}), [doc]);
  const subscribe = useCallback((h: (m: HostToPanel) => void) => {
    trainingListeners.add(h);
    return () => void trainingListeners.delete(h);
  }, []);
  const outShape = analysis?.outputShape;

  if (text === null || validation === null) return <div className="nnb-loading">Loading model…</div>;
  if (!validation.ok || doc === null || analysis === null || flow === null) {
    return <ErrorView fileName={fileName} issues={validation.ok ? [] : validation.issues} openText={() => command('openText')} />;
  }
  return (
    <CanvasActionsContext.Provider value={actions}>
      {hoverTie !== null && <style>{`[data-tie="${CSS.escape(hoverTie)}"] { --nnb-tie-glow: 1; }`}</style>}
      <div className="nnb-editor">
        <Toolbar
          scopes={blockNames}
          scope={scope}
          setScope={(s) => update({ scope: s, selected: [], viewport: null })}
          trusted={trusted}
          onLayout={() => void layout()}
          onFit={() => setFitRequest((n) => n + 1)}
          command={command}
          sideTab={ui.sideTab}
          setSideTab={(t) => update({ sideTab: t })}
          totalParams={analysis.totalParams}
        />
        <div className="nnb-main">
          <Palette blockNames={blockNames} onInsert={insert} />
          <div className="nnb-center">
            {scope !== '' && (
              <div className="nnb-scope-banner">
                Editing block <strong>{scope}</strong>: changes apply to every instance. <button onClick={() => update({ scope: '', selected: [], viewport: null })}>Back to model</button>
              </div>
            )}
            <ReactFlowProvider>
              <Canvas
                key={scope}
                flow={flow}
                selected={selected}
                viewport={ui.viewport}
                onSelect={onSelect}
                onConnect={onConnect}
                onMoved={onMoved}
                onDrop={onDrop}
                onViewport={onViewport}
                onContextMenu={onContextMenu}
                fitRequest={fitRequest}
                focus={focus}
              />
            </ReactFlowProvider>
            {notice !== null && (
              <div className="nnb-notice" role="alert" data-testid="notice">
                {notice}
                <button aria-label="Dismiss" onClick={() => setNotice(null)}>×</button>
              </div>
            )}
            <Problems diagnostics={analysis.diagnostics} onReveal={reveal} />
          </div>
          <div className="nnb-side">
            {ui.sideTab === 'inspector' ? (
              <Inspector doc={doc} analysis={analysis} selected={selected} edit={editVoid} openBlock={openBlock} />
            ) : trusted ? (
              <TrainingPanel
                post={postToHost}
                subscribe={subscribe}
                training={doc.training as Record<string, unknown> | undefined}
                onEditTraining={(next) => edit({ kind: 'setTraining', training: next as never })}
                outputSize={typeof outShape?.[outShape.length - 1] === 'number' ? (outShape[outShape.length - 1] as number) : undefined}
              />
            ) : (
              <div className="nnb-untrusted" data-testid="untrusted">Training runs code on this machine, so it is disabled in an untrusted workspace. Trust the workspace to train; viewing and editing the model work as usual.</div>
            )}
          </div>
        </div>
        {menu && <ContextMenu x={menu.x} y={menu.y} items={menu.items} onClose={() => setMenu(null)} onOpenChildren={(items) => setMenu({ ...menu, items })} />}
        {prompt && (
          <Prompt
            title={prompt.title}
            initial={prompt.initial}
            validate={prompt.validate}
            onDone={(v) => {
              setPrompt(null);
              if (v !== null) prompt.done(v);
            }}
          />
        )}
      </div>
    </CanvasActionsContext.Provider>
  );
}
