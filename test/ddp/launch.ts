/**
 * Runs a generated PyTorch project's train.py as torchrun would: one process per rank with the
 * environment torchrun sets (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT on a free port).
 * Debian's torchrun (torch 1.13 under Python 3.11) dies in torch/distributed/elastic before it starts a
 * worker, so the tests launch the ranks themselves; the script reads only that environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { parseDocument } from '../../engine/graph';
import { generatePyTorchProject, writePyTorchProject } from '../../engine/train/pytorch_project';
import { PYTHON } from '../helpers/system';

/** A TCP port nothing listens on now (the OS picks it), for the rendezvous of one launch. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Writes the document to `dir/<name>.nnb.json` and its PyTorch project to `dir/project`. */
export async function writeProject(dir: string, doc: unknown): Promise<{ docFile: string; project: string }> {
  const parsed = parseDocument(doc);
  const docFile = path.join(dir, `${parsed.name}.nnb.json`);
  await fsp.writeFile(docFile, JSON.stringify(doc, null, 2));
  const project = path.join(dir, 'project');
  await writePyTorchProject(project, generatePyTorchProject(parsed, { sourceName: path.basename(docFile), documentDir: '..' }));
  return { docFile, project };
}

export interface Launch {
  /** The rank processes, rank 0 first. */
  ranks: ChildProcess[];
  /** Resolves when every rank has exited: exit codes (null when killed) and output, rank 0 first. */
  done: Promise<{ codes: (number | null)[]; output: string[] }>;
}

/** Starts `train.py` on `world` ranks (world 1: a plain `python train.py`, without torchrun's variables). */
export async function launch(project: string, world: number, args: string[]): Promise<Launch> {
  const port = await freePort();
  const ranks: ChildProcess[] = [];
  const outputs: string[] = [];
  const exits: Promise<number | null>[] = [];
  for (let rank = 0; rank < world; rank++) {
    const dist =
      world === 1
        ? {}
        : {
            RANK: String(rank),
            LOCAL_RANK: String(rank),
            WORLD_SIZE: String(world),
            LOCAL_WORLD_SIZE: String(world),
            MASTER_ADDR: '127.0.0.1',
            MASTER_PORT: String(port),
          };
    const child = spawn(PYTHON, [path.join(project, 'train.py'), ...args], {
      cwd: project,
      env: { ...process.env, OMP_NUM_THREADS: '1', ...dist },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    outputs.push('');
    child.stdout!.on('data', (d: Buffer) => (outputs[rank] += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (outputs[rank] += d.toString()));
    exits.push(
      new Promise((resolve) =>
        child.on('close', (code, signal) => {
          // A rank that fails leaves the others waiting in a collective forever: they are stopped too.
          if (code !== 0 && signal === null) for (const other of ranks) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
          resolve(code);
        }),
      ),
    );
    ranks.push(child);
  }
  return { ranks, done: Promise.all(exits).then((codes) => ({ codes, output: outputs })) };
}

/**
 * Launches and waits; throws with every rank's output when one fails. The free port can be taken by
 * another program between freePort() and rank 0's bind (other test files run beside this one): that
 * launch is retried once on a new port.
 */
export async function train(project: string, world: number, args: string[]): Promise<string> {
  let { codes, output } = await (await launch(project, world, args)).done;
  if (codes[0] !== 0 && /address already in use/i.test(output[0])) ({ codes, output } = await (await launch(project, world, args)).done);
  if (codes.some((c) => c !== 0))
    throw new Error(
      `train.py on ${world} process(es) failed (exit codes ${codes.join(', ')}):\n${output.map((o, r) => `--- rank ${r}\n${o}`).join('\n')}`,
    );
  const m = /run folder: (.+)/.exec(output[0]);
  if (m === null) throw new Error(`rank 0 named no run folder:\n${output[0]}`);
  return m[1].trim();
}
