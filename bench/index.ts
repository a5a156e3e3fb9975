/**
 * npm run bench: the engine against TensorFlow.js (pure-JS `cpu` and `wasm` backends) in one process,
 * for W2/W3/W4/W5 PyTorch CPU (a subprocess), and onnxruntime-node for the forward passes (W5, mlp_28x28), plus
 * the resident set over a long training run, on the issues' workloads, printed against the ratio
 * targets of bench/targets.ts. Machines here are shared and noisy, so compare the ratios, not the times.
 *
 *   npm run bench [-- --quick] [-- --only w1,w2,w3,w4,w5,mlp,rss,graph]
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { printTable, type Row } from './report';
import { w1Engine, w1Tf, w2Engine, w2Tf } from './training';
import { w3 } from './w3_matmul';
import { graphBench } from './graph';
import { torchCnn, w4Engine, w4Tf, w5Engine, w5Onnx, w5Tf, W5_BATCHES } from './cnn';
import { MLP_BATCHES, mlpForwardEngine, mlpForwardOnnx, rssOverRun, torchMlp } from './mlp';
import { RSS_GROWTH_LIMIT_MB, TARGETS } from './targets';
import { kernelInfo, warmUpThreads } from '../engine/kernels/matmul';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
  const only = values.only ? new Set(values.only.split(',')) : null;
  const want = (w: string) => only === null || only.has(w);
  const quick = values.quick;
  console.log(
    `NN Blocks bench on ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), Node ${process.version}${quick ? ', quick mode' : ''}\n`,
  );
  const rows: Row[] = [];
  // Issue 13's PyTorch column for W2 and W3, in one subprocess, before the engine's timings.
  const torchMlpResult =
    want('w2') || want('w3')
      ? (warmUpThreads(), torchMlp(quick ? 2 : 3, quick ? 5 : 20, quick ? [512] : [1024], 2, kernelInfo().workersReady + 1))
      : null;
  if (torchMlpResult !== null) {
    console.log(
      `PyTorch ${torchMlpResult.torch} (W2/W3) on ${torchMlpResult.threads} threads, BLAS loaded: ${torchMlpResult.blas}; torch.__config__.show(): ${torchMlpResult.blasConfig}`,
    );
  }
  console.log(`Engine gemm: ${kernelInfo().relaxedSimd ? 'relaxed SIMD (f32x4.relaxed_madd)' : 'plain SIMD (no relaxed SIMD in this runtime)'}\n`);

  if (want('w1')) {
    const steps = quick ? 2000 : 10000;
    w1Engine(500); // warm-up: lets V8 optimise the hot paths before timing
    const ours = bestOf(3, () => w1Engine(steps).seconds);
    const cpu = (await w1Tf('cpu', steps)).seconds;
    const wasm = Math.min((await w1Tf('wasm', steps)).seconds, (await w1Tf('wasm', steps)).seconds);
    rows.push({
      workload: `W1 flower 2-4-1, ${steps} steps`,
      metric: 'seconds',
      engine: ours,
      peers: { 'tfjs-cpu': cpu, 'tfjs-wasm': wasm },
      higherIsBetter: false,
      targets: TARGETS.w1,
    });
  }

  if (want('w2')) {
    const steps = quick ? 40 : 200;
    w2Engine(5);
    const ours = Math.max(w2Engine(steps).stepsPerSecond, w2Engine(steps).stepsPerSecond);
    const cpu = (await w2Tf('cpu', Math.max(10, steps / 10))).stepsPerSecond;
    await w2Tf('wasm', 5);
    const wasm = (await w2Tf('wasm', steps)).stepsPerSecond;
    const w2Peers: Record<string, number> = { 'tfjs-cpu': cpu, 'tfjs-wasm': wasm };
    if (torchMlpResult !== null) w2Peers.pytorch = 1 / torchMlpResult.w2StepSeconds;
    rows.push({
      workload: 'W2 MLP 784-512-512-10, batch 64',
      metric: 'steps/s',
      engine: ours,
      peers: w2Peers,
      higherIsBetter: true,
      targets: TARGETS.w2,
    });
    rows.push({
      workload: 'W2 MLP 784-512-512-10, batch 64',
      metric: 'samples/s',
      engine: ours * 64,
      peers: { 'tfjs-cpu': cpu * 64, 'tfjs-wasm': wasm * 64 },
      higherIsBetter: true,
    });
  }

  if (want('w3')) {
    for (const r of await w3(quick ? [256, 512] : [256, 512, 1024], quick ? 3 : 5)) {
      const pt = torchMlpResult?.w3Gflops[String(r.n)];
      const w3Peers: Record<string, number> =
        pt === undefined ? { 'tfjs-cpu': r.cpu, 'tfjs-wasm': r.wasm } : { 'tfjs-cpu': r.cpu, 'tfjs-wasm': r.wasm, pytorch: pt };
      rows.push({
        workload: `W3 matmul ${r.n}x${r.n}`,
        metric: 'GFLOP/s',
        engine: r.engine,
        peers: w3Peers,
        higherIsBetter: true,
        targets: TARGETS.w3,
      });
    }
  }

  if (want('w4') || want('w5')) {
    warmUpThreads();
    const threads = kernelInfo().workersReady + 1;
    const rounds = quick ? 2 : 5;
    const torch = torchCnn(rounds, quick ? 5 : 20, quick ? 5 : 20, threads);
    if (torch !== null) console.log(`PyTorch ${torch.torch} on ${torch.threads} threads, BLAS: ${torch.blas}\n`);
    const peers = (tf: number, pt: number | undefined): Record<string, number> =>
      pt === undefined ? { 'tfjs-wasm': tf } : { 'tfjs-wasm': tf, pytorch: pt };
    if (want('w4')) {
      const steps = quick ? 5 : 20;
      const ours = w4Engine(rounds, steps);
      const w4Peers: Record<string, number> = { 'tfjs-cpu': 1 / (await w4Tf('cpu', rounds, steps)) };
      try {
        w4Peers['tfjs-wasm'] = 1 / (await w4Tf('wasm', rounds, steps));
      } catch (e) {
        console.log(`W4 on tfjs-wasm: ${(e as Error).message.split('\n')[0]} (it cannot train a convolution; tfjs-cpu stands in)\n`);
      }
      if (torch !== null) w4Peers.pytorch = 1 / torch.w4StepSeconds;
      rows.push({
        workload: 'W4 LeNet-5 train step, batch 64',
        metric: 'steps/s',
        engine: 1 / ours,
        peers: w4Peers,
        higherIsBetter: true,
        targets: TARGETS.w4,
      });
    }
    if (want('w5')) {
      for (const batch of W5_BATCHES) {
        const runs = quick ? 5 : batch === 1 ? 50 : 10;
        const ours = w5Engine(rounds, runs, batch);
        const tf = await w5Tf(rounds, runs, batch);
        const pt = torch?.[`w5Batch${batch}Seconds`];
        const ort = await w5Onnx(rounds, runs, batch, threads);
        rows.push({
          workload: `W5 resnet_mini forward, batch ${batch}`,
          metric: 'ms',
          engine: ours * 1000,
          peers: { ...peers(tf * 1000, pt === undefined ? undefined : pt * 1000), onnxruntime: ort * 1000 },
          higherIsBetter: false,
          targets: TARGETS.w5,
        });
      }
    }
  }

  if (want('mlp')) {
    warmUpThreads();
    const threads = kernelInfo().workersReady + 1;
    for (const batch of MLP_BATCHES) {
      const runs = quick ? 5 : batch === 1 ? 200 : batch === 64 ? 50 : 5;
      const ours = mlpForwardEngine(quick ? 2 : 5, runs, batch);
      const ort = await mlpForwardOnnx(quick ? 2 : 5, runs, batch, threads);
      rows.push({
        workload: `mlp_28x28 forward (noGrad), batch ${batch}`,
        metric: 'ms',
        engine: ours * 1000,
        peers: { onnxruntime: ort * 1000 },
        higherIsBetter: false,
        targets: batch >= 1024 ? TARGETS.mlpLarge : TARGETS.mlpSmall,
      });
    }
  }

  printTable(rows);

  if (want('rss')) {
    const steps = quick ? 500 : 5000;
    const batch = 8;
    const { startMB, endMB } = rssOverRun(steps, batch);
    const growth = endMB - startMB;
    console.log(
      `\nResident set over ${steps} training steps of mlp_28x28 (Adam, batch ${batch}): ${startMB.toFixed(1)} MB after warm-up, ` +
        `${endMB.toFixed(1)} MB at the end, growth ${growth.toFixed(1)} MB (target < ${RSS_GROWTH_LIMIT_MB} MB: ${growth < RSS_GROWTH_LIMIT_MB ? 'met' : 'NOT met'})`,
    );
  }

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
