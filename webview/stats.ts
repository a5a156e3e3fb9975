/**
 * Counters the render benchmark and the browser tests read (window.__nnbStats): dragging a node must not
 * re-analyse the document, rebuild the flow graph, or re-render the other nodes.
 */
export const stats = { analyses: 0, flows: 0, nodeRenders: 0 };
(window as unknown as { __nnbStats: typeof stats }).__nnbStats = stats;
