/**
 * The React Flow canvas: renders the flow graph computed from the document, turns gestures into edit
 * operations (connect, drop from the palette, drag to move) and keeps positions in UI state. Node
 * positions live in React Flow's own state while dragging, so a drag re-renders only the dragged node
 * and never re-analyses the document.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesState,
  useReactFlow,
  type Connection,
  type Node,
  type NodeChange,
  type NodeSelectionChange,
  type Viewport,
} from '@xyflow/react';
import { edgeTypes } from './graph/edges';
import { nodeTypes } from './graph/nodes';
import type { FlowEdgeT, FlowGraph, FlowNodeT } from './graph/toFlow';
import { PALETTE_MIME } from './panels/Palette';

export interface DropRequest {
  op: string;
  block?: string;
  /** The innermost expanded container under the drop point ('' for the shown scope's root). */
  container: string;
  /** For a Sequential: how many of its children lie above the drop point. */
  index: number;
  /** Drop point relative to the container (for Graph children, which keep where they were dropped). */
  at: { x: number; y: number };
}

export interface Focus {
  id: string;
  seq: number;
  mode?: 'centre' | 'keep';
}

interface Props {
  flow: FlowGraph;
  selected: string[];
  viewport: Viewport | null;
  /** Nodes the user selected or deselected on the canvas (click, Ctrl+click, box, click on the pane). */
  onSelect: (changes: { id: string; selected: boolean }[]) => void;
  onConnect: (source: FlowNodeT, target: FlowNodeT) => void;
  onMoved: (moves: { id: string; x: number; y: number }[]) => void;
  onDrop: (req: DropRequest) => void;
  onViewport: (v: Viewport) => void;
  onContextMenu: (e: React.MouseEvent, id: string | null) => void;
  fitRequest: number;
  /**
   * A node to bring into view once it is drawn; `seq` counts requests. `centre` zooms to it (the problems
   * list reveals nodes); `keep` pans only when it is not already in sight, at the same zoom (a node just
   * added, so the view follows a chain as it grows).
   */
  focus: Focus | null;
}

export function Canvas({ flow, selected, viewport, onSelect, onConnect, onMoved, onDrop, onViewport, onContextMenu, fitRequest, focus }: Props) {
  const rf = useReactFlow<FlowNodeT, FlowEdgeT>();
  const [placed, setPlaced, applyNodeChanges] = useNodesState<FlowNodeT>([]);

  // A new flow (the document or collapse state changed): take its nodes and where they are drawn.
  useEffect(() => {
    setPlaced(flow.nodes);
  }, [flow, setPlaced]);

  // The selection has one owner, the editor's state (`selected`): React Flow reports what the user clicked
  // or boxed as changes, which go up to it, and the nodes it draws take their `selected` from it. Two
  // owners kept in step by echoing each other (onSelectionChange one way, setNodes the other) chased
  // each other forever when a change crossed an echo, as collapsing a clicked group does.
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const nodes = useMemo(
    () => placed.map((n) => (Boolean(n.selected) === selectedSet.has(n.id) ? n : { ...n, selected: selectedSet.has(n.id) })),
    [placed, selectedSet],
  );
  const handleNodesChange = useCallback(
    (changes: NodeChange<FlowNodeT>[]) => {
      const picks = changes.filter((c): c is NodeSelectionChange => c.type === 'select' && !c.id.startsWith('::'));
      if (picks.length > 0) onSelect(picks.map((c) => ({ id: c.id, selected: c.selected })));
      const rest = changes.filter((c) => c.type !== 'select');
      if (rest.length > 0) applyNodeChanges(rest);
    },
    [onSelect, applyNodeChanges],
  );

  const first = useRef(true);
  useEffect(() => {
    if (fitRequest > 0) void rf.fitView({ padding: 0.15, duration: 200 });
  }, [fitRequest, rf]);

  const focused = useRef(0);
  useEffect(() => {
    if (focus === null || focused.current === focus.seq) return;
    if (!rf.getInternalNode(focus.id)?.measured.width) return; // not drawn yet: a later `placed` brings it
    focused.current = focus.seq;
    if (focus.mode === 'keep') keepInView(focus.id);
    else void rf.fitView({ nodes: [{ id: focus.id }], padding: 0.6, maxZoom: 1.2, duration: 200 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus, placed, rf]);

  const pane = useRef<HTMLDivElement>(null);
  /** Pans (same zoom) so the node's whole box is on the canvas, if it is not already. */
  const keepInView = (id: string) => {
    const n = rf.getInternalNode(id);
    const el = pane.current;
    if (n === undefined || el === null) return;
    const { x, y, zoom } = rf.getViewport();
    const pos = n.internals.positionAbsolute;
    const w = n.measured.width ?? 0;
    const h = n.measured.height ?? 0;
    const left = pos.x * zoom + x;
    const top = pos.y * zoom + y;
    if (left >= 0 && top >= 0 && left + w * zoom <= el.clientWidth && top + h * zoom <= el.clientHeight) return;
    void rf.setCenter(pos.x + w / 2, pos.y + h / 2, { zoom, duration: 200 });
  };

  const byId = useMemo(() => new Map(flow.nodes.map((n) => [n.id, n])), [flow]);
  const handleConnect = useCallback(
    (c: Connection) => {
      const s = byId.get(c.source);
      const t = byId.get(c.target);
      if (s && t) onConnect(s, t);
    },
    [byId, onConnect],
  );

  const handleDragStop = useCallback(
    (_: unknown, _node: Node, dragged: Node[]) => onMoved(dragged.map((n) => ({ id: n.id, x: n.position.x, y: n.position.y }))),
    [onMoved],
  );

  const handleDrop = useCallback(
    (e: React.DragEvent) => {
      const raw = e.dataTransfer.getData(PALETTE_MIME);
      if (!raw) return;
      e.preventDefault();
      const item = JSON.parse(raw) as { op: string; block?: string };
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // The innermost expanded group under the point.
      let container = '';
      let origin = { x: 0, y: 0 };
      let best = Infinity;
      for (const n of rf.getNodes()) {
        if (n.type !== 'group') continue;
        const abs = rf.getInternalNode(n.id)?.internals.positionAbsolute ?? n.position;
        const w = n.width ?? 0;
        const h = n.height ?? 0;
        if (p.x >= abs.x && p.x <= abs.x + w && p.y >= abs.y && p.y <= abs.y + h && w * h < best) {
          best = w * h;
          container = n.id;
          origin = abs;
        }
      }
      const siblings = rf.getNodes().filter((n) => (n.parentId ?? '') === container && n.type !== 'port');
      const index = siblings.filter((n) => {
        const abs = rf.getInternalNode(n.id)?.internals.positionAbsolute ?? n.position;
        return abs.y + (n.height ?? 0) / 2 < p.y;
      }).length;
      onDrop({ op: item.op, block: item.block, container, index, at: { x: p.x - origin.x, y: p.y - origin.y } });
    },
    [rf, onDrop],
  );

  return (
    <div
      className="nnb-canvas"
      ref={pane}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={handleDrop}
      data-testid="canvas"
    >
      <ReactFlow<FlowNodeT, FlowEdgeT>
        nodes={nodes}
        edges={flow.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={handleNodesChange}
        onConnect={handleConnect}
        onNodeDragStop={handleDragStop}
        onNodeContextMenu={(e, n) => {
          e.preventDefault();
          onContextMenu(e, n.id.startsWith('::') ? null : n.id);
        }}
        onPaneContextMenu={(e) => {
          e.preventDefault();
          onContextMenu(e as React.MouseEvent, null);
        }}
        onMoveEnd={(_, v) => onViewport(v)}
        defaultViewport={viewport ?? undefined}
        fitView={viewport === null && first.current}
        fitViewOptions={{ padding: 0.15, maxZoom: 1.2 }}
        minZoom={0.05}
        maxZoom={2.5}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Control', 'Meta']}
        elevateNodesOnSelect={false}
        proOptions={{ hideAttribution: true }}
        onlyRenderVisibleElements={false}
      >
        <Background gap={20} size={1} />
        <MiniMap pannable zoomable className="nnb-minimap" nodeClassName={(n) => `nnb-mini-${n.type}`} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
