/**
 * Node-only: inference on an exported model with onnxruntime-node. CPU by default; 'cuda' on request.
 * The npm package ships the CPU provider only; CUDA's provider library must be installed next to the
 * binding (onnxruntime-node's install script does it when CUDA is present). When it is missing we say
 * so and, by default, run on CPU instead (`onMissingProvider: 'error'` makes that a failure); the same
 * when the provider is there but CUDA cannot start.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';

export type Provider = 'cpu' | 'cuda';

export interface RunOnnxOptions {
  /** In order of preference; default ['cpu']. */
  executionProviders?: Provider | Provider[];
  /** What to do when a requested provider is not installed: run on the remaining ones / CPU, or throw. */
  onMissingProvider?: 'fallback' | 'error';
  /** Receives the "provider missing, falling back" message (default: console.warn). */
  warn?: (message: string) => void;
}

export interface OnnxOutput {
  data: Float32Array;
  shape: number[];
}

export interface RunOnnxResult {
  outputs: Record<string, OnnxOutput>;
  /** The providers the session was created with. */
  providers: Provider[];
}

export type OnnxInput = { data: Float32Array; shape: readonly number[] };

let ortModule: typeof Ort | undefined;
function ort(): typeof Ort {
  // Loaded lazily: the native binding costs time and is only needed when a model actually runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ortModule ??= require('onnxruntime-node') as typeof Ort;
  return ortModule;
}

/** Whether onnxruntime-node can use CUDA here: the provider library must sit next to the native binding. */
export function cudaProviderInstalled(): boolean {
  try {
    const backends = ort().listSupportedBackends();
    const cuda = backends.find((b) => b.name === 'cuda');
    if (cuda === undefined) return false;
    if (cuda.bundled) return true;
    const binding = require.resolve('onnxruntime-node/package.json');
    const dir = join(dirname(binding), 'bin', 'napi-v6', process.platform, process.arch);
    return existsSync(join(dir, 'libonnxruntime_providers_cuda.so')) || existsSync(join(dir, 'onnxruntime_providers_cuda.dll'));
  } catch {
    return false;
  }
}

export class ProviderError extends Error {}

/**
 * The providers to ask onnxruntime for. A requested 'cuda' that is not installed is dropped with a
 * warning (running on the rest, or CPU), or is an error when `onMissingProvider` is 'error'.
 */
export function chooseProviders(options: RunOnnxOptions, cudaInstalled: boolean): Provider[] {
  const wanted = options.executionProviders === undefined ? ['cpu' as Provider] : ([] as Provider[]).concat(options.executionProviders);
  for (const p of wanted) if (p !== 'cpu' && p !== 'cuda') throw new ProviderError(`unknown execution provider '${String(p)}' (use 'cpu' or 'cuda')`);
  if (!wanted.includes('cuda') || cudaInstalled) return wanted;
  return withoutCuda(
    wanted,
    "onnxruntime's CUDA execution provider is not installed (onnxruntime-node ships CPU only; install it with CUDA present, " +
      'e.g. `npm rebuild onnxruntime-node` without onnxruntime-node-install=skip)',
    options,
  );
}

/** Drops 'cuda' after saying why (or throws the reason as a ProviderError when fallback is off). */
function withoutCuda(wanted: Provider[], reason: string, options: RunOnnxOptions): Provider[] {
  if (options.onMissingProvider === 'error') throw new ProviderError(reason);
  const rest = wanted.filter((p) => p !== 'cuda');
  const out: Provider[] = rest.length > 0 ? rest : ['cpu'];
  (options.warn ?? ((m: string) => console.warn(m)))(`${reason}; running on ${out.join(', ')} instead`);
  return out;
}

export type CreateSession = (path: string, options: { executionProviders: Provider[] }) => Promise<Ort.InferenceSession>;

/**
 * A session on the chosen providers. The CUDA provider library can be present while CUDA itself is not
 * usable (no driver, no libcudart or cuDNN): onnxruntime then fails to create the session, which is the
 * same "CUDA is not available" for the user, so it falls back (or fails) like a missing provider.
 */
export async function openSession(
  create: CreateSession,
  path: string,
  providers: Provider[],
  options: RunOnnxOptions = {},
): Promise<{ session: Ort.InferenceSession; providers: Provider[] }> {
  try {
    return { session: await create(path, { executionProviders: providers }), providers };
  } catch (e) {
    const first = (e as Error).message.split('\n')[0];
    if (!providers.includes('cuda')) throw new Error(`${path}: onnxruntime cannot load the model: ${(e as Error).message}`);
    const rest = withoutCuda(providers, `onnxruntime could not start its CUDA execution provider (${first})`, options);
    return openSession(create, path, rest, options);
  }
}

/**
 * Runs the model at `path`. `inputs` maps input names to float32 data (a single value feeds the model's
 * only input). Outputs come back by name as float32 data with their shapes.
 */
export async function runOnnx(path: string, inputs: Record<string, OnnxInput> | OnnxInput, options: RunOnnxOptions = {}): Promise<RunOnnxResult> {
  const { InferenceSession, Tensor } = ort();
  const wanted = chooseProviders(options, cudaProviderInstalled());
  const { session, providers } = await openSession((p, o) => InferenceSession.create(p, o), path, wanted, options);
  try {
    const named: Record<string, OnnxInput> =
      'data' in inputs && (inputs as OnnxInput).data instanceof Float32Array
        ? { [session.inputNames[0]]: inputs as OnnxInput }
        : (inputs as Record<string, OnnxInput>);
    const missing = session.inputNames.filter((n) => !(n in named));
    if (missing.length > 0) throw new Error(`${path}: no data for input(s) ${missing.join(', ')} (the model takes ${session.inputNames.join(', ')})`);
    const feeds: Record<string, Ort.Tensor> = {};
    for (const n of session.inputNames) feeds[n] = new Tensor('float32', named[n].data, [...named[n].shape]);
    const result = await session.run(feeds);
    const outputs: Record<string, OnnxOutput> = {};
    for (const [name, t] of Object.entries(result)) outputs[name] = { data: t.data as Float32Array, shape: t.dims.map(Number) };
    return { outputs, providers };
  } finally {
    await session.release();
  }
}
