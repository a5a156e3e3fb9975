import type { RatioTarget } from './targets';

/** Prints benchmark rows as an aligned table; ratios are what to compare, since these machines are shared and noisy. */
export interface Row {
  workload: string;
  metric: string;
  engine: number;
  peers: Record<string, number>;
  /** True when a bigger number is better (throughput); false for times. */
  higherIsBetter: boolean;
  /** The workload's targets (bench/targets.ts); those whose peer did not run are left out. */
  targets?: readonly RatioTarget[];
}

export function ratio(row: Row, peer: string): number {
  const p = row.peers[peer];
  return row.higherIsBetter ? row.engine / p : p / row.engine;
}

export function printTable(rows: Row[]): void {
  const peers = [...new Set(rows.flatMap((r) => Object.keys(r.peers)))];
  const header = ['workload', 'metric', 'nn-blocks', ...peers, ...peers.map((p) => `speedup vs ${p}`), 'target'];
  const body = rows.map((r) => [
    r.workload,
    r.metric,
    fmt(r.engine),
    ...peers.map((p) => (p in r.peers ? fmt(r.peers[p]) : '-')),
    ...peers.map((p) => (p in r.peers ? `${ratio(r, p).toFixed(2)}x` : '-')),
    (r.targets ?? [])
      .filter((t) => t.peer in r.peers)
      .map((t) => {
        const got = ratio(r, t.peer);
        return `${t.label ?? `>= ${t.ratio}x ${t.peer}`} (${got.toFixed(2)}x): ${got >= t.ratio ? 'met' : 'NOT met'}`;
      })
      .join('; '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(3);
}
