/**
 * npm run bench: the engine against TensorFlow.js (pure-JS `cpu` and `wasm` backends) in one process,
 * on the workloads. Machines here are shared and noisy, so compare the ratios, not the times.
 *
 *   npm run bench [-- --quick] [-- --only w1,w2,w3,graph]
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { printTable, type Row } from './report';
import { w1Engine, w1Tf, w2Engine, w2Tf } from './training';
import { w3 } from './w3_matmul';
import { graphBench } from './graph';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
  const only = values.only ? new Set(values.only.split(',')) : null;
  const want = (w: string) => only === null || only.has(w);
  const quick = values.quick;
  console.log(`NN Blocks bench on ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), Node ${process.version}${quick ? ', quick mode' : ''}\n`);
  const rows: Row[] = [];

  if (want('w1')) {
    const steps = quick ? 2000 : 10000;
    w1Engine(500); // warm-up: lets V8 optimise the hot paths before timing
    const ours = bestOf(3, () => w1Engine(steps).seconds);
    const cpu = (await w1Tf('cpu', steps)).seconds;
    const wasm = Math.min((await w1Tf('wasm', steps)).seconds, (await w1Tf('wasm', steps)).seconds);
    rows.push({ workload: `W1 spiral 2-4-1, ${steps} steps`, metric: 'seconds', engine: ours, peers: { 'tfjs-cpu': cpu, 'tfjs-wasm': wasm }, higherIsBetter: false, target: { peer: 'tfjs-wasm', ratio: 10 } });
  }

  if (want('w2')) {
    const steps = quick ? 40 : 200;
    w2Engine(5);
    const ours = Math.max(w2Engine(steps).stepsPerSecond, w2Engine(steps).stepsPerSecond);
    const cpu = (await w2Tf('cpu', Math.max(10, steps / 10))).stepsPerSecond;
    await w2Tf('wasm', 5);
    const wasm = (await w2Tf('wasm', steps)).stepsPerSecond;
    rows.push({ workload: 'W2 MLP 784-512-512-10, batch 64', metric: 'steps/s', engine: ours, peers: { 'tfjs-cpu': cpu, 'tfjs-wasm': wasm }, higherIsBetter: true, target: { peer: 'tfjs-wasm', ratio: 3 } });
    rows.push({ workload: 'W2 MLP 784-512-512-10, batch 64', metric: 'samples/s', engine: ours * 64, peers: { 'tfjs-cpu': cpu * 64, 'tfjs-wasm': wasm * 64 }, higherIsBetter: true });
  }

  if (want('w3')) {
    for (const r of await w3(quick ? [256, 512] : [256, 512, 1024], quick ? 3 : 5)) {
      rows.push({ workload: `W3 matmul ${r.n}x${r.n}`, metric: 'GFLOP/s', engine: r.engine, peers: { 'tfjs-cpu': r.cpu, 'tfjs-wasm': r.wasm }, higherIsBetter: true, target: { peer: 'tfjs-wasm', ratio: 1 } });
    }
  }

  printTable(rows);

  if (want('graph')) {
    const g = await graphBench(quick ? 7 : 21);
    console.log(
      `\nDocument pipeline, ${g.nodes} nodes (median): validate ${g.validateMs.toFixed(1)} ms + analyse ${g.analyzeMs.toFixed(1)} ms + ` +
        `TypeScript ${g.typescriptMs.toFixed(1)} ms (+ prettier ${g.prettierMs.toFixed(1)} ms) + PyTorch ${g.pytorchMs.toFixed(1)} ms = ` +
        `${g.totalMs.toFixed(1)} ms (target < 50 ms: ${g.totalMs < 50 ? 'met' : 'missed'}); ${g.unformattedMs.toFixed(1)} ms without prettier's pass`,
    );
  }
}

function bestOf(n: number, f: () => number): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, f());
  return best;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
