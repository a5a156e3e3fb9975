/**
 * The editor webview: shows the document the host sends as a graph (or an error view when it is not a
 * valid model) and sends every change back as an edit operation. Edits are applied here at once (so the
 * canvas answers immediately) and the host's document, which follows, is the truth. The parts with one
 * job each: the host channel (host/useHost.ts), the UI state (state.ts), the command table behind the
 * context menu and the keys (commands/), the clipboard (useClipboard.ts), Auto Layout loaded on first use
 * (lazy/parts.ts). This file derives the graph from the document and lays out the page.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider, type Viewport } from '@xyflow/react';
import { analyzeDocument, isIdentifier, type Analysis } from '../engine/graph/analyze';
import { blockDefinition, TrainingSchema, type ModelDocument } from '../engine/graph/format';
import { validateDocument } from '../engine/graph/parse';
import { serializeDocument } from '../engine/graph/serialize';
import { applyEdit, locate, type EditOp, type Placement } from '../engine/graph/edits';
import { BOOT_ELEMENT_ID, type HostCommand } from '../protocol/editor';
import { describeIssues } from '../protocol/messages';
import { Canvas, type DropRequest, type Focus } from './Canvas';
import { menuItems, type CommandEnv } from './commands/table';
import { useKeymap } from './commands/useKeymap';
import { CanvasActionsContext, type CanvasActions } from './graph/actions';
import { revealTarget } from './graph/reveal';
import { outPortId, scopeRoot, toFlow, type FlowNodeT } from './graph/toFlow';
import { trainingBus } from './host/trainingBus';
import { useHost } from './host/useHost';
import { loadPart } from './lazy/parts';
import { ContextMenu, type MenuItem } from './panels/ContextMenu';
import { Dock, useNarrow } from './panels/Dock';
import { ErrorView } from './panels/ErrorView';
import { Inspector } from './panels/Inspector';
import { Palette, type PaletteItem } from './panels/Palette';
import { Problems } from './panels/Problems';
import { Prompt } from './panels/Prompt';
import { Toolbar } from './panels/Toolbar';
import { useUiState } from './state';
import { TrainingPanel } from './training';
import { stats } from './stats';
import { useClipboard } from './useClipboard';
import { postToHost } from './vscode';

/** Removes the page's loading state, once the editor's stylesheet (if the page is still loading it) has loaded. */
function removeBootWhenStyled(): void {
  const remove = () => document.getElementById(BOOT_ELEMENT_ID)?.remove();
  const sheet = [...document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet]')].find(
    (l) => l.href.endsWith('editor.css') && l.sheet === null,
  );
  if (sheet === undefined) return remove();
  sheet.addEventListener('load', remove, { once: true });
  sheet.addEventListener('error', remove, { once: true });
}

type Menu = { x: number; y: number; items: MenuItem[] } | null;
type PromptState = { title: string; initial: string; validate: (v: string) => string | null; done: (v: string) => void } | null;

export function App() {
  const { ui, update, fromHost } = useUiState();
  const { text, version, fileName, trusted, warnParams, notice, setNotice, sendEdit, revealRequest } = useHost(fromHost);
  const [menu, setMenu] = useState<Menu>(null);
  const [prompt, setPrompt] = useState<PromptState>(null);
  const [hoverTie, setHoverTie] = useState<string | null>(null);
  const [fitRequest, setFitRequest] = useState(0);
  const [focus, setFocus] = useState<Focus | null>(null);
  // A narrow editor keeps its width for the canvas: the palette and side panel open as overlays (Dock.tsx).
  const narrow = useNarrow();
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [sideOpen, setSideOpen] = useState(false);

  // The page's loading state (painted by the host's HTML) gives way once there is something to show,
  // and its stylesheet, which the host's page adds beside this script, has arrived.
  useEffect(() => {
    if (text !== null) removeBootWhenStyled();
  }, [text]);

  const validation = useMemo(() => (text === null ? null : validateDocument(text)), [text]);
  const doc: ModelDocument | null = validation?.ok ? validation.document : null;
  const analysis: Analysis | null = useMemo(() => {
    if (doc === null) return null;
    stats.analyses++;
    return analyzeDocument(doc, warnParams === null ? {} : { warnParams });
  }, [doc, warnParams]);
  const scope = doc && ui.scope !== '' && blockDefinition(doc, ui.scope) ? ui.scope : '';
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
  const selected = useMemo(
    () => (ui.selected.every((id) => onCanvas.has(id)) ? ui.selected : ui.selected.filter((id) => onCanvas.has(id))),
    [ui.selected, onCanvas],
  );
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  const edit = useCallback(
    (op: EditOp): string[] | null => {
      const current = docRef.current;
      if (current === null) return null;
      const r = applyEdit(current, op);
      if (!r.ok) {
        setNotice(r.reason);
        return null;
      }
      setNotice(null);
      sendEdit(op, serializeDocument(r.doc));
      if (r.select.length > 0) update({ selected: r.select.filter((id) => locate(r.doc, id) !== undefined) });
      return r.select;
    },
    [sendEdit, setNotice, update],
  );
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

  // A node just added stays in sight, so the view follows a chain as it grows.
  const follow = useCallback((added: string[] | null) => {
    if (added !== null && added.length === 1) setFocus((f) => ({ id: added[0], seq: (f?.seq ?? 0) + 1, mode: 'keep' }));
  }, []);
  const insert = useCallback(
    (item: PaletteItem) => {
      setPaletteOpen(false);
      follow(edit({ kind: 'addNode', op: item.op, block: item.block, placement: insertPlacement() }));
    },
    [edit, follow, insertPlacement],
  );

  const onDrop = useCallback(
    (req: DropRequest) => {
      setPaletteOpen(false);
      const container = req.container || rootId;
      const target = docRef.current ? locate(docRef.current, container)?.node : undefined;
      const placement: Placement = target?.op === 'Sequential' ? { container, index: req.index } : { container };
      const added = edit({ kind: 'addNode', op: req.op, block: req.block, placement });
      if (added && added.length === 1 && target?.op === 'Graph') {
        const key = scope || ':model';
        update((u) => ({
          positions: { ...u.positions, [key]: { ...(u.positions[key] ?? {}), [added[0]]: { x: req.at.x - 100, y: req.at.y - 30 } } },
        }));
      } else follow(added); // in a Graph it lies under the pointer; in a Sequential the layout places it
    },
    [edit, follow, rootId, scope, update],
  );

  const onConnect = useCallback(
    (s: FlowNodeT, t: FlowNodeT) => {
      const graph = t.data.graph ?? s.data.graph;
      if (graph === undefined || (s.data.graph !== undefined && t.data.graph !== undefined && s.data.graph !== t.data.graph)) {
        setNotice(
          `cannot connect ${s.data.title} → ${t.data.title}: connections are drawn between nodes of the same Graph; children of a Sequential run in order (reorder them with Alt+Up/Down)`,
        );
        return;
      }
      const from = s.data.modelId;
      if (t.id === outPortId(graph)) edit({ kind: 'setOutput', graph, node: from });
      else edit({ kind: 'connect', graph, from, to: t.data.modelId });
    },
    [edit, setNotice],
  );

  const onMoved = useCallback(
    (moves: { id: string; x: number; y: number }[]) => {
      const key = scope || ':model';
      update((u) => {
        const cur = { ...(u.positions[key] ?? {}) };
        for (const m of moves) cur[m.id] = { ...(cur[m.id] ?? {}), x: m.x, y: m.y };
        return { positions: { ...u.positions, [key]: cur } };
      });
    },
    [scope, update],
  );

  /** Shows a node wherever it is: its block opened, the groups around it expanded, selected and centred. */
  const reveal = useCallback(
    (id: string) => {
      const target = docRef.current ? revealTarget(docRef.current, id) : undefined;
      if (target === undefined) return;
      update((u) => ({
        scope: target.block,
        collapsed: u.collapsed.filter((c) => !target.ancestors.includes(c)),
        selected: [target.id],
        viewport: target.block === u.scope ? u.viewport : null,
      }));
      setFocus((f) => ({ id: target.id, seq: (f?.seq ?? 0) + 1 }));
    },
    [update],
  );

  // The host's ask to show a node (a Problems panel entry clicked) may come with the page's first document:
  // it is answered once the document is drawn, and once per ask.
  const revealed = useRef(0);
  useEffect(() => {
    if (revealRequest === null || doc === null || revealed.current === revealRequest.seq) return;
    revealed.current = revealRequest.seq;
    reveal(revealRequest.id);
  }, [revealRequest, doc, reveal]);

  const toggleCollapse = useCallback(
    (id: string) => update((u) => ({ collapsed: u.collapsed.includes(id) ? u.collapsed.filter((c) => c !== id) : [...u.collapsed, id] })),
    [update],
  );
  const openBlock = useCallback((name: string) => update({ scope: name, selected: [], viewport: null }), [update]);
  const actions = useMemo<CanvasActions>(() => ({ toggleCollapse, openBlock, hoverTie: setHoverTie }), [toggleCollapse, openBlock]);
  const fit = useCallback(() => setFitRequest((n) => n + 1), []);

  const layout = useCallback(async () => {
    if (!flow) return;
    let laid: Awaited<ReturnType<Awaited<ReturnType<typeof loadPart<'layout'>>>['autoLayout']>>;
    try {
      laid = await (await loadPart('layout')).autoLayout(flow.nodes, flow.edges);
    } catch (e) {
      setNotice(`Auto Layout failed: ${(e as Error).message}`);
      postToHost({ type: 'webviewError', message: `Auto Layout failed: ${(e as Error).stack ?? (e as Error).message}` });
      return;
    }
    const key = scope || ':model';
    const positions = Object.fromEntries(laid);
    positionsRef.current = positions;
    update((u) => ({ positions: { ...u.positions, [key]: positions } }));
    setLayoutVersion((n) => n + 1);
    fit();
  }, [fit, flow, scope, setNotice, update]);

  const askBlockName = useCallback(
    (id: string) => {
      setPrompt({
        title: 'Block name (becomes a function in generated code)',
        initial: 'block1',
        validate: (v) =>
          !isIdentifier(v)
            ? 'letters, digits and _, not starting with a digit'
            : docRef.current && blockDefinition(docRef.current, v)
              ? `a block named ${v} already exists`
              : null,
        done: (name) => edit({ kind: 'makeBlock', id, name }),
      });
    },
    [edit],
  );

  /** The command table's environment for the nodes `sel` (the selection, or the node right-clicked). */
  const commandEnv = useCallback(
    (sel: string[]): CommandEnv | null => {
      const d = docRef.current;
      if (d === null) return null;
      return {
        doc: d,
        sel,
        node: sel.length > 0 ? locate(d, sel[0])?.node : undefined,
        collapsed,
        edit: editVoid,
        layout: () => void layout(),
        fit,
        toggleCollapse,
        askBlockName,
        openBlock,
        select: (ids) => update({ selected: ids }),
      };
    },
    [askBlockName, collapsed, editVoid, fit, layout, openBlock, toggleCollapse, update],
  );

  useKeymap(() => commandEnv(selectedRef.current));
  useClipboard(() => ({ doc: docRef.current, selected: selectedRef.current, edit: editVoid, placement: insertPlacement }));

  const onSelect = useCallback(
    (changes: { id: string; selected: boolean }[]) => {
      update((u) => {
        const next = u.selected.filter((id) => onCanvasRef.current.has(id) && !changes.some((c) => c.id === id && !c.selected));
        for (const c of changes) if (c.selected && !next.includes(c.id)) next.push(c.id);
        return next.length === u.selected.length && next.every((x, i) => x === u.selected[i]) ? {} : { selected: next };
      });
    },
    [update],
  );
  const onViewport = useCallback((v: Viewport) => update({ viewport: v }), [update]);
  const onContextMenu = useCallback(
    (e: React.MouseEvent, id: string | null) => {
      // Right-clicking a node outside the selection acts on that node alone, and selects it.
      const inSelection = id !== null && selectedRef.current.includes(id);
      if (id !== null && !inSelection) update({ selected: [id] });
      const env = commandEnv(id === null || inSelection ? selectedRef.current : [id]);
      setMenu({ x: e.clientX, y: e.clientY, items: env === null ? [] : menuItems(env) });
    },
    [commandEnv, update],
  );
  // The form's section is checked against the document's grammar here, so what is sent is typed.
  const editTraining = useCallback(
    (next: Record<string, unknown>) => {
      const r = TrainingSchema.safeParse(next);
      if (r.success) edit({ kind: 'setTraining', training: r.data });
      else setNotice(`invalid training section: ${describeIssues(r.error)}`);
    },
    [edit, setNotice],
  );
  const blockNames = useMemo(() => Object.keys(doc?.blocks ?? {}), [doc]);
  const outShape = analysis?.outputShape;

  if (text === null || validation === null) return null; // the host's loading state is showing
  if (!validation.ok || doc === null || analysis === null || flow === null) {
    return <ErrorView fileName={fileName} issues={validation.ok ? [] : validation.issues} openText={() => command('openText')} />;
  }
  return (
    <CanvasActionsContext.Provider value={actions}>
      {hoverTie !== null && <style>{`[data-tie="${CSS.escape(hoverTie)}"] { --nnb-tie-glow: 1; }`}</style>}
      <div className={`nnb-editor${narrow ? ' nnb-narrow' : ''}`} data-version={version}>
        <Toolbar
          scopes={blockNames}
          scope={scope}
          setScope={(s) => update({ scope: s, selected: [], viewport: null })}
          trusted={trusted}
          onLayout={() => void layout()}
          onFit={fit}
          command={command}
          sideTab={ui.sideTab}
          setSideTab={(t) => {
            update({ sideTab: t });
            // Narrow, the tabs open the side panel (the selected one closes it again).
            if (narrow) setSideOpen(!(sideOpen && t === ui.sideTab));
          }}
          totalParams={analysis.totalParams}
        />
        <div className="nnb-main">
          <Dock side="left" narrow={narrow} open={paletteOpen} setOpen={setPaletteOpen} label="Layers" testId="palette">
            <Palette blockNames={blockNames} onInsert={insert} />
          </Dock>
          <div className="nnb-center">
            {scope !== '' && (
              <div className="nnb-scope-banner">
                Editing block <strong>{scope}</strong>: changes apply to every instance.{' '}
                <button onClick={() => update({ scope: '', selected: [], viewport: null })}>Back to model</button>
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
                <button aria-label="Dismiss" onClick={() => setNotice(null)}>
                  ×
                </button>
              </div>
            )}
            <Problems diagnostics={analysis.diagnostics} onReveal={reveal} />
          </div>
          <Dock
            side="right"
            narrow={narrow}
            open={sideOpen}
            setOpen={setSideOpen}
            label={ui.sideTab === 'inspector' ? 'Inspector' : 'Training'}
            testId="side"
          >
            <div className="nnb-side">
              {ui.sideTab === 'inspector' ? (
                <Inspector doc={doc} analysis={analysis} selected={selected} edit={editVoid} openBlock={openBlock} />
              ) : trusted ? (
                <TrainingPanel
                  post={postToHost}
                  subscribe={trainingBus.subscribe}
                  training={doc.training as Record<string, unknown> | undefined}
                  onEditTraining={editTraining}
                  outputSize={typeof outShape?.[outShape.length - 1] === 'number' ? (outShape[outShape.length - 1] as number) : undefined}
                />
              ) : (
                <div className="nnb-untrusted" data-testid="untrusted">
                  Training runs code on this machine, so it is disabled in an untrusted workspace. Trust the workspace to train; viewing and editing
                  the model work as usual.
                </div>
              )}
            </div>
          </Dock>
        </div>
        {menu && (
          <ContextMenu
            x={menu.x}
            y={menu.y}
            items={menu.items}
            onClose={() => setMenu(null)}
            onOpenChildren={(items) => setMenu({ ...menu, items })}
          />
        )}
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
