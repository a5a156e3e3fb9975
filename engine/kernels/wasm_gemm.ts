/**
 * The WebAssembly side of matmul: one shared WebAssembly.Memory holding a scratch arena, the gemm module
 * instantiated over it on the main thread, and lazily started worker threads that instantiate the same
 * module over the same memory, so a large product is split across cores without copying anything
 * between threads. Everything here is synchronous: callers (tensor ops) cannot await.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { backwardEpoch, writeVersion } from '../tensor_core';

// tsconfig's lib has no DOM, and @types/node 20 does not declare WebAssembly: describe the part we use
// locally rather than adding globals another file's lib could clash with.
interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type GemmFn = (
  a: number,
  b: number,
  c: number,
  m: number,
  k: number,
  n: number,
  flags: number,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  scratch: number,
) => void;

// Must match scripts/build-wasm.mjs (--initialMemory / --maximumMemory) and NR in assembly/gemm.ts.
const INITIAL_PAGES = 32;
const MAXIMUM_PAGES = 32768;
const PAGE = 65536;
const NR = 8;
/**
 * The first 64 KiB are left to the modules' static data: gemm has none; small.wasm keeps its constant
 * table at 16 KiB (--memoryBase in scripts/build-wasm.mjs).
 */
const ARENA_START = 65536;
const MAX_WORKERS = 7;
/** Idle polls before a worker sleeps (~0.2 ms) and before the main thread sleeps waiting for workers. */
const WORKER_SPIN = 100000;
const MAIN_SPIN = 1000000;

/**
 * From this many flops a product is split across threads. A worker still spinning from the previous
 * product joins in ~1 us and pays off from ~0.2 MFLOP; a sleeping one takes ~50 us to wake, which a
 * 1 MFLOP product (~30 us on one core) only just absorbs. Measured on the 2-core bench VM.
 */
let parallelFlops = 1e6;

/** assembly/small.ts: kernels for small tensors (see engine/kernels/small.ts), main thread only. */
export interface SmallExports {
  tanhF32(x: number, y: number, n: number): void;
  tanhBackwardF32(g: number, y: number, gx: number, n: number): void;
  bceLogitsForward(x: number, y: number, per: number, n: number): number;
  bceLogitsBackward(x: number, y: number, g: number, gx: number, n: number, factor: number, scalar: number): void;
  gemmSmall(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    asi: number,
    asp: number,
    bsp: number,
    bsj: number,
    accumulate: number,
    pack: number,
  ): void;
  addRowBias(c: number, bias: number, m: number, n: number): void;
  columnSums(g: number, out: number, m: number, n: number): void;
}

/** assembly/image.ts: im2col/col2im, max pooling and batch norm's passes (byte addresses), main thread only. */
export interface ImageExports {
  im2col(
    src: number,
    srcStride: number,
    ns: number,
    channels: number,
    height: number,
    width: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    dh: number,
    dw: number,
    outH: number,
    outW: number,
    cols: number,
    ld: number,
    at: number,
  ): void;
  col2im(
    cols: number,
    ld: number,
    at: number,
    ns: number,
    channels: number,
    height: number,
    width: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    dh: number,
    dw: number,
    outH: number,
    outW: number,
    dst: number,
    dstStride: number,
  ): void;
  maxPool2d(
    src: number,
    planes: number,
    height: number,
    width: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    dh: number,
    dw: number,
    outH: number,
    outW: number,
    out: number,
    argmax: number,
  ): void;
  maxPoolBackward(g: number, argmax: number, count: number, gx: number): void;
  channelSums(x: number, n: number, c: number, inner: number, sums: number): void;
  channelSquares(x: number, n: number, c: number, inner: number, mean: number, sq: number): void;
  normalize(x: number, n: number, c: number, inner: number, mean: number, rstd: number, xhat: number): void;
  channelGradSums(g: number, xhat: number, n: number, c: number, inner: number, sg: number, sgx: number): void;
  batchNormBackward(g: number, xhat: number, n: number, c: number, inner: number, count: number, rstd: number, sg: number, sgx: number): void;
  reluF32(x: number, y: number, n: number): void;
  addF32(a: number, b: number, y: number, n: number, relu: number): void;
  channelAffine(x: number, rows: number, c: number, ch0: number, inner: number, scale: number, shift: number, y: number): void;
  padPlanes(
    src: number,
    ns: number,
    channels: number,
    height: number,
    width: number,
    ph: number,
    pw: number,
    hp: number,
    wp: number,
    dst: number,
  ): void;
  convDirect(
    xp: number,
    xStride: number,
    wp: number,
    sh: number,
    w: number,
    offs: number,
    kk: number,
    og: number,
    out: number,
    outStride: number,
    outH: number,
    outW: number,
    u0: number,
    u1: number,
    scratch: number,
  ): void;
}

export interface Runtime {
  memory: WasmMemory;
  module: WasmModule;
  gemm: GemmFn;
  /** assembly/gemm.ts's packWholeB and packedBBytes (resident operands are kept packed). */
  packWholeB: (dst: number, b: number, k: number, n: number, transB: number) => void;
  packedBBytes: (k: number, n: number) => number;
  scratchBytes: number;
  mr: number;
  /** Whether gemm is the relaxed-SIMD build (fused multiply-add where the CPU has it). */
  relaxedSimd: boolean;
  f32: Float32Array;
  /** null when small.wasm is missing or fails to load (its callers fall back to JavaScript). */
  small: SmallExports | null;
  /** assembly/image.ts (engine/kernels/image.ts, conv2d.ts), or null like small. */
  image: ImageExports | null;
}

let runtime: Runtime | null | undefined; // undefined: not tried yet; null: unavailable
let loadError: string | null = null;

function findWasm(name = 'gemm.wasm'): string | null {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [
    process.env.NN_BLOCKS_WASM_DIR ? path.join(process.env.NN_BLOCKS_WASM_DIR, name) : '',
    path.join(here, 'wasm', name),
    // compiled to dist/engine/kernels, or bundled into dist/<x>/: the build leaves the .wasm in the sources
    path.join(here, '..', '..', '..', 'engine', 'kernels', 'wasm', name),
    path.join(here, '..', '..', 'engine', 'kernels', 'wasm', name),
    path.join(process.cwd(), 'engine', 'kernels', 'wasm', name),
  ];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  return null;
}

/**
 * gemm_relaxed.wasm's bytes when this runtime validates relaxed SIMD (VS Code's Electron does; Node 20
 * only with --experimental-wasm-relaxed-simd) and NN_BLOCKS_RELAXED_SIMD is not '0', else null. The module
 * itself is the probe: it is small, and validating it checks exactly the instructions it uses.
 */
function relaxedGemm(): Uint8Array | null {
  if (process.env.NN_BLOCKS_RELAXED_SIMD === '0') return null;
  const file = findWasm('gemm_relaxed.wasm');
  if (!file) return null;
  const bytes = fs.readFileSync(file);
  return wasmApi.validate(bytes) ? bytes : null;
}

function load(): Runtime | null {
  try {
    const relaxed = relaxedGemm();
    const file = findWasm();
    if (!file && !relaxed) throw new Error('engine/kernels/wasm/gemm.wasm not found (run `npm run build:wasm`)');
    const module = new wasmApi.Module(relaxed ?? fs.readFileSync(file!));
    const memory = new wasmApi.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
    const exports = new wasmApi.Instance(module, { env: { memory } }).exports as unknown as {
      gemm: GemmFn;
      scratchBytes: () => number;
      microRows: () => number;
      packWholeB: Runtime['packWholeB'];
      packedBBytes: Runtime['packedBBytes'];
    };
    const scratchBytes = align(exports.scratchBytes(), 64);
    return {
      memory,
      module,
      gemm: exports.gemm,
      packWholeB: exports.packWholeB,
      packedBBytes: exports.packedBBytes,
      scratchBytes,
      mr: exports.microRows(),
      relaxedSimd: relaxed !== null,
      f32: new Float32Array(memory.buffer),
      small: loadSide<SmallExports>('small.wasm', memory),
      image: loadSide<ImageExports>('image.wasm', memory),
    };
  } catch (e) {
    loadError = e instanceof Error ? e.message : String(e);
    return null;
  }
}

/** A kernel module beside gemm, over the same memory, or null when it is missing or fails to load. */
function loadSide<T>(name: string, memory: WasmMemory): T | null {
  try {
    const file = findWasm(name);
    if (!file) return null;
    return new wasmApi.Instance(new wasmApi.Module(fs.readFileSync(file)), { env: { memory } }).exports as unknown as T;
  } catch {
    return null;
  }
}

function align(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

/** The wasm runtime, or null when it cannot load (then matmul stays in scalar JavaScript). */
export function wasmRuntime(): Runtime | null {
  if (runtime === undefined) runtime = load();
  return runtime;
}

/** Makes the arena at least `bytes` long and returns a Float32Array over all of it. */
function ensureBytes(rt: Runtime, bytes: number): Float32Array {
  const have = rt.memory.buffer.byteLength;
  if (bytes > have) rt.memory.grow(Math.ceil((bytes - have) / PAGE));
  // A shared memory's buffer object is fixed-length: fetch a new one after any growth (ours or another's).
  if (rt.f32.length * 4 !== rt.memory.buffer.byteLength) rt.f32 = new Float32Array(rt.memory.buffer);
  return rt.f32;
}

/** Byte offset of the scratch arena that callers on this thread may use between kernel calls. */
export const ARENA_OFFSET = ARENA_START;

/**
 * A Float32Array over the whole memory, grown so that [ARENA_OFFSET, ARENA_OFFSET + bytes) exists, or
 * null when that does not fit. The arena is free between calls (every kernel call here is synchronous and
 * the gemm workers only touch memory while a product is in flight); its contents do not survive a call.
 */
export function arenaF32(rt: Runtime, bytes: number): Float32Array | null {
  const end = ARENA_START + bytes;
  // The arena reaches into the resident copies (a large tensor for small.wasm): drop them; they are a cache.
  if (end > residentStart(rt) && residentTop > residentStart(rt)) evictResident();
  // Fast path: the view already covers it (a shared memory's views stay valid when it grows, and reading
  // memory.buffer costs more than the small kernels' arithmetic).
  if (end <= rt.f32.length * 4) return rt.f32;
  if (end > MAXIMUM_PAGES * PAGE) return null;
  return ensureBytes(rt, end);
}

// ---- worker pool -------------------------------------------------------------------------------------
// A product is cut into chunks (row or column ranges of C) that every participating thread, the main one
// included, claims one at a time from a shared counter, so a worker descheduled by a noisy neighbour just
// takes fewer chunks instead of holding the main thread up.
//
// ctl (Int32Array over a SharedArrayBuffer):
//   [0] job sequence; [1] chunks finished; [2] claim word: gen << 24 | chunks << 12 | next chunk, where gen
//   is the sequence's low byte, so a worker waking late for an old job can never claim a chunk of the
//   next one; [3] workers taking part; [4] set when a worker failed; [5..] the job (see JOB_*);
//   [24 + w] worker w ready.
const CTL_SEQ = 0,
  CTL_FINISHED = 1,
  CTL_CLAIM = 2,
  CTL_WORKERS = 3,
  CTL_ERROR = 4,
  CTL_JOB = 5,
  CTL_READY = 24;
const CTL_LENGTH = CTL_READY + MAX_WORKERS;
// Job words, offsets from CTL_JOB: 7 gemm arguments (a, b, c, m, k, n, flags), then how C is cut.
const JOB_BY_ROWS = 7,
  JOB_LEN = 8,
  JOB_CHUNK = 9,
  JOB_SCRATCH = 10,
  JOB_SCRATCH_BYTES = 11;
const MAX_CHUNKS = 4095;
const CHUNKS_PER_THREAD = 2,
  MIN_CHUNK = 64;

/** Claims and runs chunks of the current job (generation gen) until none are left; `slot` picks the scratch. */
function runChunks(ctl: Int32Array, gemm: GemmFn, gen: number, slot: number): void {
  for (;;) {
    const v = Atomics.load(ctl, CTL_CLAIM);
    if (v >>> 24 !== gen) return;
    const idx = v & 0xfff;
    if (idx >= ((v >>> 12) & 0xfff)) return;
    if (Atomics.compareExchange(ctl, CTL_CLAIM, v, v + 1) !== v) continue;
    const j = CTL_JOB,
      m = ctl[j + 3],
      n = ctl[j + 5],
      byRows = ctl[j + JOB_BY_ROWS] === 1;
    const lo = idx * ctl[j + JOB_CHUNK],
      hi = Math.min(ctl[j + JOB_LEN], lo + ctl[j + JOB_CHUNK]);
    gemm(
      ctl[j],
      ctl[j + 1],
      ctl[j + 2],
      m,
      ctl[j + 4],
      n,
      ctl[j + 6],
      byRows ? lo : 0,
      byRows ? hi : m,
      byRows ? 0 : lo,
      byRows ? n : hi,
      ctl[j + JOB_SCRATCH] + slot * ctl[j + JOB_SCRATCH_BYTES],
    );
    Atomics.add(ctl, CTL_FINISHED, 1);
    Atomics.notify(ctl, CTL_FINISHED);
  }
}

// Plain JavaScript run with `eval: true`, so it works the same under tsx, compiled, or bundled (no
// Function.toString: a minifier would rename what it refers to). Its claim loop mirrors runChunks.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { wasmModule, memory, ctlBuffer, id } = workerData;
const gemm = new WebAssembly.Instance(wasmModule, { env: { memory } }).exports.gemm;
const ctl = new Int32Array(ctlBuffer);
const J = ${CTL_JOB};
let claimed = false;
function runChunks(gen, slot) {
  for (;;) {
    const v = Atomics.load(ctl, ${CTL_CLAIM});
    if (v >>> 24 !== gen) return;
    const idx = v & 0xfff;
    if (idx >= ((v >>> 12) & 0xfff)) return;
    if (Atomics.compareExchange(ctl, ${CTL_CLAIM}, v, v + 1) !== v) continue;
    claimed = true;
    const m = ctl[J + 3], n = ctl[J + 5], byRows = ctl[J + ${JOB_BY_ROWS}] === 1;
    const lo = idx * ctl[J + ${JOB_CHUNK}], hi = Math.min(ctl[J + ${JOB_LEN}], lo + ctl[J + ${JOB_CHUNK}]);
    gemm(ctl[J], ctl[J + 1], ctl[J + 2], m, ctl[J + 4], n, ctl[J + 6],
      byRows ? lo : 0, byRows ? hi : m, byRows ? 0 : lo, byRows ? n : hi,
      ctl[J + ${JOB_SCRATCH}] + slot * ctl[J + ${JOB_SCRATCH_BYTES}]);
    claimed = false;
    Atomics.add(ctl, ${CTL_FINISHED}, 1);
    Atomics.notify(ctl, ${CTL_FINISHED});
  }
}
// Read the sequence before announcing readiness: a job posted after the main thread sees us ready
// then always differs from 'seen'.
let seen = Atomics.load(ctl, ${CTL_SEQ});
Atomics.store(ctl, ${CTL_READY} + id, 1);
for (;;) {
  // Spin a little before sleeping: a futex wake-up costs ~50 us on the bench VM, and products tend to
  // come in bursts (forward, then backward), so the next one usually arrives while we are still spinning.
  for (let i = 0; i < ${WORKER_SPIN} && Atomics.load(ctl, ${CTL_SEQ}) === seen; i++);
  Atomics.wait(ctl, ${CTL_SEQ}, seen);
  const now = Atomics.load(ctl, ${CTL_SEQ});
  if (now === seen) continue;
  seen = now;
  if (id >= ctl[${CTL_WORKERS}]) continue;
  try {
    runChunks(now & 0xff, id + 1);
  } catch (e) {
    // This worker retires; the main thread sees the flag and redoes the product on its own. A chunk
    // claimed but not run still counts as finished so that the main thread stops waiting for it.
    Atomics.store(ctl, ${CTL_READY} + id, 0);
    Atomics.store(ctl, ${CTL_ERROR}, 1);
    if (claimed) Atomics.add(ctl, ${CTL_FINISHED}, 1);
    Atomics.notify(ctl, ${CTL_FINISHED});
    break;
  }
}
`;

interface Pool {
  ctl: Int32Array;
  workers: Worker[];
}
let pool: Pool | null | undefined;
let wantedWorkers = defaultWorkers();

function defaultWorkers(): number {
  const env = process.env.NN_BLOCKS_THREADS;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const threads = env !== undefined && env !== '' ? Number(env) : cores;
  return Math.max(0, Math.min(MAX_WORKERS, (Number.isFinite(threads) ? Math.floor(threads) : cores) - 1));
}

/**
 * Threads used for large products, the calling thread included (1 = single-threaded). Defaults to the
 * number of cores, or NN_BLOCKS_THREADS. Workers already started are kept but left idle when lowered.
 */
export function setMatmulThreads(threads: number): void {
  wantedWorkers = Math.max(0, Math.min(MAX_WORKERS, Math.floor(threads) - 1));
}

/** Tuning hook (bench): the flop count from which a product is split across threads. */
export function setParallelFlops(flops: number): void {
  parallelFlops = flops;
}

function startPool(rt: Runtime): Pool | null {
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_LENGTH * 4));
  const workers: Worker[] = [];
  try {
    for (let id = 0; id < MAX_WORKERS; id++) {
      if (id >= wantedWorkers) break;
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { wasmModule: rt.module, memory: rt.memory, ctlBuffer: ctl.buffer, id },
        // Workers inherit execArgv (tsx's loader hooks); plain JavaScript does not need them.
        execArgv: [],
        stdout: false,
        stderr: false,
      });
      // A worker that fails never marks itself ready, so it is simply never given work.
      w.on('error', () => Atomics.store(ctl, CTL_READY + id, 0));
      w.unref();
      workers.push(w);
    }
  } catch {
    // Cannot start threads here (e.g. a restricted host): the workers that did start still help.
  }
  return workers.length > 0 ? { ctl, workers } : null;
}

/** Ready workers, not waiting for any still starting: the first large products just run single-threaded. */
function readyWorkers(rt: Runtime): number[] {
  if (wantedWorkers === 0) return [];
  if (pool === undefined) pool = startPool(rt);
  if (pool === null) return [];
  const ids: number[] = [];
  const n = Math.min(pool.workers.length, wantedWorkers);
  for (let id = 0; id < n; id++) if (Atomics.load(pool.ctl, CTL_READY + id) === 1) ids.push(id);
  return ids;
}

/** Whether the wasm kernels loaded and how many worker threads are ready; for tests and the bench. */
export function kernelInfo(): { wasm: boolean; relaxedSimd: boolean; error: string | null; workersReady: number; workersWanted: number } {
  const rt = wasmRuntime();
  return {
    wasm: rt !== null,
    relaxedSimd: rt?.relaxedSimd ?? false,
    error: loadError,
    workersReady: rt ? readyWorkers(rt).length : 0,
    workersWanted: wantedWorkers,
  };
}

/** Starts the workers now and waits (up to timeoutMs) until they are ready; useful before timing. */
export function warmUpThreads(timeoutMs = 2000): number {
  const rt = wasmRuntime();
  if (!rt) return 0;
  readyWorkers(rt);
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (pool && readyWorkers(rt).length < Math.min(pool.workers.length, wantedWorkers) && Date.now() < deadline) {
    Atomics.wait(pause, 0, 0, 5);
  }
  return readyWorkers(rt).length;
}

/**
 * out (+)= op(a) @ op(b) in wasm; returns false (having done nothing) when the runtime is unavailable
 * or the operands do not fit in the 2 GiB memory.
 */
export function wasmMatmulInto(
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
  keepB = false,
): boolean {
  const rt = wasmRuntime();
  if (!rt) return false;
  const flops = 2 * m * k * n;
  const workers = flops >= parallelFlops ? readyWorkers(rt) : [];

  const sizeA = m * k,
    sizeB = k * n,
    sizeC = m * n;
  // A tracked operand (a Parameter's weights) stays resident; placing it may move the transient base.
  const kept = keepB && b.length === sizeB ? residentCopy(rt, b, k, n, transB) : -1;
  const pa = transientBase(rt);
  const pb = pa + align(sizeA * 4, 64);
  const pc = kept >= 0 ? pb : pb + align(sizeB * 4, 64);
  const end = pc + align(sizeC * 4, 64);
  if (end > MAXIMUM_PAGES * PAGE) return false;
  let f32 = ensureBytes(rt, end);

  f32.set(a.length === sizeA ? a : a.subarray(0, sizeA), pa >> 2);
  if (kept < 0) f32.set(b.length === sizeB ? b : b.subarray(0, sizeB), pb >> 2);
  if (accumulate) f32.set(out.length === sizeC ? out : out.subarray(0, sizeC), pc >> 2);
  const flags = (transA ? 1 : 0) | (transB ? 2 : 0) | (accumulate ? 4 : 0) | (kept >= 0 ? 8 : 0);
  runGemm(rt, workers, pa, kept >= 0 ? kept : pb, pc, m, k, n, flags, () => {
    if (accumulate) ensureBytes(rt, end).set(out.length === sizeC ? out : out.subarray(0, sizeC), pc >> 2);
  });
  f32 = ensureBytes(rt, end);
  out.set(f32.subarray(pc >> 2, (pc >> 2) + sizeC));
  return true;
}

/**
 * The first free byte past every thread's gemm scratch and the resident copies: kernels that keep their
 * operands in the shared memory across several products within one call (engine/kernels/conv2d.ts) put
 * them from here. It moves when a copy is added, so read it again for every call.
 */
export function residentBase(rt: Runtime): number {
  return transientBase(rt);
}

// ---- resident copies ---------------------------------------------------------------------------------
// Copying a layer's weights into the arena on every product cost as much as the product itself for small
// batches (1.6 MB for the MLP's first layer at batch 1). A tracked storage (a Parameter's, see
// engine/tensor_core.ts trackWrites) keeps its copy in blocks between the gemm scratch and the transient
// arena, reused while its write counter and the backward epoch are unchanged. Blocks are freed when their
// storage is collected (FinalizationRegistry) and reused first-fit; the last block's release lowers the top.

interface Block {
  ptr: number;
  bytes: number;
  generation: number;
}
/** One packed form of a storage: as op(B) = b[k, n] or (transB) b stored as [n, k]. */
interface Copy {
  block: Block;
  version: number;
  epoch: number;
  k: number;
  n: number;
}
interface Copies {
  plain?: Copy;
  trans?: Copy;
}

let copies = new WeakMap<Float32Array, Copies>();
let residentTop = 0; // 0: not placed yet (residentStart)
let freeBlocks: Block[] = [];
let generation = 0;
// The block is also the unregister token: a block replaced (the storage reused with another shape) is freed
// at once and must not be freed again when its storage is collected.
const collected = new FinalizationRegistry<Block>((b) => releaseBlock(b));

function residentStart(rt: Runtime): number {
  return ARENA_START + (1 + MAX_WORKERS) * rt.scratchBytes;
}

function transientBase(rt: Runtime): number {
  return Math.max(residentTop, residentStart(rt));
}

function releaseBlock(b: Block): void {
  if (b.generation !== generation) return; // evicted already
  freeBlocks.push(b);
  // Give back the top of the region when its last blocks are free.
  freeBlocks.sort((x, y) => x.ptr - y.ptr);
  while (freeBlocks.length > 0 && freeBlocks[freeBlocks.length - 1].ptr + freeBlocks[freeBlocks.length - 1].bytes === residentTop) {
    residentTop = freeBlocks.pop()!.ptr;
  }
}

function evictResident(): void {
  copies = new WeakMap();
  freeBlocks = [];
  residentTop = 0;
  generation++;
}

/** Drops every resident copy (tests, and callers that want the arena back). */
export function clearResidentCopies(): void {
  evictResident();
}

/** Bytes held by resident copies now; for tests and the bench. */
export function residentBytes(): number {
  const rt = wasmRuntime();
  if (!rt || residentTop === 0) return 0;
  return residentTop - residentStart(rt) - freeBlocks.reduce((s, b) => s + b.bytes, 0);
}

/**
 * Byte address of an up-to-date copy of `data` as op(B) of a k x n product, packed for gemm's flag 8
 * (assembly/gemm.ts's packWholeB), or -1 when `data` is not tracked or does not fit. A layer's forward
 * (x @ W^T) and backward (g @ W) use the two packings of the same storage, each kept.
 */
function residentCopy(rt: Runtime, data: Float32Array, k: number, n: number, transB: boolean): number {
  const version = writeVersion(data);
  if (version === undefined) return -1;
  const epoch = backwardEpoch();
  let forms = copies.get(data);
  if (forms === undefined) {
    forms = {};
    copies.set(data, forms);
  }
  let c = transB ? forms.trans : forms.plain;
  if (c !== undefined && c.version === version && c.epoch === epoch && c.k === k && c.n === n) return c.block.ptr;
  if (c === undefined || c.k !== k || c.n !== n) {
    if (c !== undefined) {
      collected.unregister(c.block);
      releaseBlock(c.block);
    }
    const block = allocateBlock(rt, align(rt.packedBBytes(k, n), 64));
    if (block === null) return -1;
    c = { block, version, epoch, k, n };
    if (transB) forms.trans = c;
    else forms.plain = c;
    collected.register(data, block, block);
  }
  c.version = version;
  c.epoch = epoch;
  // Raw values into the transient arena (free until this product's operands go there), packed from there.
  const raw = transientBase(rt);
  ensureBytes(rt, raw + data.length * 4).set(data, raw >> 2);
  rt.packWholeB(c.block.ptr, raw, k, n, transB ? 1 : 0);
  return c.block.ptr;
}

function allocateBlock(rt: Runtime, bytes: number): Block | null {
  const i = freeBlocks.findIndex((b) => b.bytes >= bytes);
  if (i >= 0) {
    const b = freeBlocks[i];
    freeBlocks.splice(i, 1);
    if (b.bytes > bytes) freeBlocks.push({ ptr: b.ptr + bytes, bytes: b.bytes - bytes, generation });
    return { ptr: b.ptr, bytes, generation };
  }
  const ptr = transientBase(rt);
  if (ptr + bytes > MAXIMUM_PAGES * PAGE) return null;
  ensureBytes(rt, ptr + bytes);
  residentTop = ptr + bytes;
  return { ptr, bytes, generation };
}

/** A Float32Array over the whole memory, grown to at least `end` bytes, or null when that does not fit. */
export function residentF32(rt: Runtime, end: number): Float32Array | null {
  if (end <= rt.f32.length * 4) return rt.f32;
  if (end > MAXIMUM_PAGES * PAGE) return null;
  return ensureBytes(rt, end);
}

/**
 * C = op(A) @ op(B) on operands already in the shared memory (byte addresses from residentBase), threaded
 * when large like wasmMatmulInto, with no copy in or out.
 */
export function residentGemm(
  rt: Runtime,
  pa: number,
  pb: number,
  pc: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  if (m === 0 || n === 0) return;
  const workers = 2 * m * k * n >= parallelFlops ? readyWorkers(rt) : [];
  runGemm(rt, workers, pa, pb, pc, m, k, n, (transA ? 1 : 0) | (transB ? 2 : 0), () => {});
}

/**
 * C (+)= op(A) @ op(B) on operands already in the shared memory, split
 * across `workers` when given. Should a worker fail, the product is redone on this thread after
 * `restoreC` has put C back as it was (needed only when accumulating).
 */
function runGemm(
  rt: Runtime,
  workers: number[],
  pa: number,
  pb: number,
  pc: number,
  m: number,
  k: number,
  n: number,
  flags: number,
  restoreC: () => void,
): void {
  const scratch0 = ARENA_START;
  const threads = workers.length + 1;
  if (threads === 1) {
    rt.gemm(pa, pb, pc, m, k, n, flags, 0, m, 0, n, scratch0);
  } else {
    const ctl = pool!.ctl;
    // Cut the longer side of C into whole micro-tiles, two chunks per thread so that a late or slow
    // thread costs little, but at least 64 rows or columns each: every chunk repacks the whole other
    // operand (measured: 8 chunks of 64x784x64 lost 10% to that against 2 halves).
    const byRows = m >= n;
    const tile = byRows ? rt.mr : NR;
    const len = byRows ? m : n;
    const units = Math.ceil(len / tile);
    let chunk = Math.ceil(units / (CHUNKS_PER_THREAD * threads)) * tile;
    chunk = Math.max(chunk, Math.min(align(MIN_CHUNK, tile), Math.ceil(units / threads) * tile));
    chunk = Math.max(chunk, Math.ceil(len / MAX_CHUNKS / tile) * tile);
    const chunks = Math.ceil(len / chunk);
    const j = CTL_JOB;
    ctl[j] = pa;
    ctl[j + 1] = pb;
    ctl[j + 2] = pc;
    ctl[j + 3] = m;
    ctl[j + 4] = k;
    ctl[j + 5] = n;
    ctl[j + 6] = flags;
    ctl[j + JOB_BY_ROWS] = byRows ? 1 : 0;
    ctl[j + JOB_LEN] = len;
    ctl[j + JOB_CHUNK] = chunk;
    ctl[j + JOB_SCRATCH] = scratch0;
    ctl[j + JOB_SCRATCH_BYTES] = rt.scratchBytes;
    ctl[CTL_WORKERS] = Math.min(pool!.workers.length, wantedWorkers);
    const gen = (ctl[CTL_SEQ] + 1) & 0xff;
    Atomics.store(ctl, CTL_FINISHED, 0);
    Atomics.store(ctl, CTL_CLAIM, (gen << 24) | (chunks << 12));
    Atomics.add(ctl, CTL_SEQ, 1);
    Atomics.notify(ctl, CTL_SEQ);
    runChunks(ctl, rt.gemm, gen, 0);
    // Whatever chunks remain are being run by workers right now: poll briefly before sleeping.
    let d = Atomics.load(ctl, CTL_FINISHED);
    for (let i = 0; i < MAIN_SPIN && d < chunks; i++) d = Atomics.load(ctl, CTL_FINISHED);
    for (; d < chunks; d = Atomics.load(ctl, CTL_FINISHED)) Atomics.wait(ctl, CTL_FINISHED, d);
    if (Atomics.load(ctl, CTL_ERROR) !== 0) {
      Atomics.store(ctl, CTL_ERROR, 0);
      restoreC();
      rt.gemm(pa, pb, pc, m, k, n, flags, 0, m, 0, n, scratch0);
    }
  }
}
