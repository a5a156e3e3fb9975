/**
 * The worker_threads entry of a training run. workerData is a TrainJob; every TrainEvent is posted to the
 * host; the host's { type: 'stop' } message stops the run between two steps. The thread ends after the
 * 'result' event.
 *
 * Bundling: esbuild must emit this file as its own entry point (e.g. dist/extension/train-worker.js,
 * next to extension.js); see host.ts for how it is found.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainEvent } from './protocol';
import type { TrainingSession } from './session';
import { runJob, type TrainJob } from './job';

if (parentPort === null) throw new Error('engine/train/worker must run in a worker thread (use startRun from engine/train/host)');
const port = parentPort;

let session: TrainingSession | null = null;
let stopEarly = false;
port.on('message', (m: { type: string }) => {
  if (m.type !== 'stop') return;
  if (session !== null) session.stop();
  else stopEarly = true;
});

/**
 * Events are queued and posted as one array when the session yields between its ~50 ms bursts: one
 * message per burst instead of one per record keeps messaging off the step time.
 *
 * Byte payloads are copied, not transferred: detaching an ArrayBuffer trips V8's "no detached buffers"
 * protector, after which every typed-array access in this thread carries an extra check, and the
 * engine's kernels ran ~15% slower for the rest of the run. A copy of a checkpoint costs far less.
 */
let queue: TrainEvent[] = [];
function flush(): void {
  if (queue.length === 0) return;
  const batch = queue;
  queue = [];
  port.postMessage(batch);
}
function post(e: TrainEvent): void {
  queue.push(e);
  if (queue.length === 1) setImmediate(flush);
  if (e.type === 'result') flush();
}

runJob(workerData as TrainJob, post, (s) => {
  session = s;
  if (stopEarly) s.stop();
})
  .catch((e: unknown) => {
    // runJob reports its own failures as a 'result'; this catches failures before the session exists.
    const job = workerData as TrainJob;
    post({
      type: 'result',
      result: {
        status: 'failed',
        message: e instanceof Error ? e.message : String(e),
        runDir: job.runDir,
        step: 0,
        totalSteps: 0,
        elapsedSec: 0,
        final: null,
        checkpoints: [],
        hasModel: false,
      },
    });
  })
  .finally(() => port.close());
