/** Loads TensorFlow.js with a chosen backend inside this process: the peer every engine figure is compared with. */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type TfBackend = 'cpu' | 'wasm';

let wasmPathsSet = false;

export async function useTfBackend(backend: TfBackend): Promise<typeof tf> {
  if (backend === 'wasm' && !wasmPathsSet) {
    // The wasm binaries ship inside the npm package; point the loader at them instead of a CDN.
    const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
    setWasmPaths(dist);
    wasmPathsSet = true;
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`TensorFlow.js backend '${backend}' failed to initialise`);
  await tf.ready();
  return tf;
}
