// `npm run studio`: NN Blocks in a real VS Code in your browser, offline. Builds what is missing or stale
// (WASM kernels, the extension and webview bundles), installs code-server 4.100.3 into .tools/ when missing,
// links this repository into its extensions folder as the NN Blocks extension, and serves VS Code on
// 127.0.0.1 with examples/ open and trusted (so Train works). Runs until Ctrl+C, which stops code-server.
//
// Usage: npm run studio [-- --port 8080] [-- --folder path]    (or PORT=8080 npm run studio)
// State (settings, extensions link, logs) lives in .tools/studio/, which git ignores, or in the folder
// NNB_STUDIO_STATE names (the studio's own test keeps it in a temporary folder).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDefaultSettings } from './studio_settings.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STUDIO = process.env.NNB_STUDIO_STATE ? resolve(process.env.NNB_STUDIO_STATE) : join(ROOT, '.tools/studio');
const BIN = join(ROOT, '.tools/code-server/node_modules/.bin/code-server');
const HOST = '127.0.0.1';

function usage(code) {
  console.log(`Usage: npm run studio [-- --port <n>] [-- --folder <path>]
  --port <n>     port on ${HOST} (default: PORT, else 8080 if free, else any free port)
  --folder <p>   workspace folder to open (default: examples/)`);
  process.exit(code);
}

function parseArgs(argv) {
  const out = { port: process.env.PORT ? Number(process.env.PORT) : undefined, portGiven: Boolean(process.env.PORT), folder: join(ROOT, 'examples') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--port' || flag === '-p') {
      out.port = Number(value());
      out.portGiven = true;
    } else if (flag === '--folder') out.folder = resolve(value());
    else if (flag === '--help' || flag === '-h') usage(0);
    else {
      console.error(`unknown argument: ${argv[i]}`);
      usage(2);
    }
  }
  if (out.port !== undefined && !(Number.isInteger(out.port) && out.port > 0 && out.port < 65536)) {
    console.error(`not a port: ${out.port}`);
    process.exit(2);
  }
  return out;
}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`NN Blocks studio: ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

/** The WASM kernels and the bundles, rebuilt when a source is newer than them. */
function build() {
  run(process.execPath, ['scripts/build-if-stale.mjs'], 'building the extension');
}

/** The 28x28 MLP example trains on data/mnist_like.csv: write the synthetic digits when it is missing. */
function ensureExampleData(folder) {
  const csv = join(folder, 'data', 'mnist_like.csv');
  if (resolve(folder) !== join(ROOT, 'examples') || existsSync(csv)) return;
  run(process.execPath, ['bin/nnb.js', 'make-data', 'digits', '-o', csv, '--rows', '2000'], 'writing examples/data/mnist_like.csv');
}

/** <extensions>/nnblocks.nn-blocks-<version> → this repository; older links of NN Blocks are removed. */
function linkExtension(extensionsDir) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const prefix = `${pkg.publisher}.${pkg.name}-`;
  const link = join(extensionsDir, `${prefix}${pkg.version}`);
  mkdirSync(extensionsDir, { recursive: true });
  for (const name of readdirSync(extensionsDir)) {
    const p = join(extensionsDir, name);
    if (name.startsWith(prefix) && p !== link) rmSync(p, { recursive: true, force: true });
  }
  // VS Code lists the extensions it found in extensions.json; one that does not name this version is stale,
  // and without it VS Code scans the folder again.
  const manifest = join(extensionsDir, 'extensions.json');
  if (existsSync(manifest) && !readFileSync(manifest, 'utf8').includes(`${prefix}${pkg.version}`)) rmSync(manifest, { force: true });
  let ok = false;
  try {
    ok = lstatSync(link).isSymbolicLink() && resolve(extensionsDir, readlinkSync(link)) === ROOT;
  } catch {
    // missing
  }
  if (!ok) {
    rmSync(link, { recursive: true, force: true });
    symlinkSync(ROOT, link, 'dir');
  }
}

function portFree(port) {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, HOST, () => s.close(() => res(true)));
  });
}

function anyFreePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, HOST, () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function choosePort(opts) {
  if (opts.portGiven) {
    if (!(await portFree(opts.port))) {
      console.error(`NN Blocks studio: port ${opts.port} on ${HOST} is in use; choose another with --port`);
      process.exit(1);
    }
    return opts.port;
  }
  return (await portFree(8080)) ? 8080 : anyFreePort();
}

/** code-server's URL for a folder, with the path readable (each segment encoded, slashes kept). */
const folderUrl = (port, folder) => `http://${HOST}:${port}/?folder=${folder.split('/').map(encodeURIComponent).join('/')}`;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(opts.folder) || !statSync(opts.folder).isDirectory()) {
    console.error(`NN Blocks studio: no such folder: ${opts.folder}`);
    process.exit(1);
  }
  build();
  ensureExampleData(opts.folder);
  run('bash', ['scripts/install-code-server.sh'], 'installing code-server');

  const dirs = {
    data: join(STUDIO, 'user-data'),
    extensions: join(STUDIO, 'extensions'),
    config: join(STUDIO, 'config'),
    share: join(STUDIO, 'share'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  linkExtension(dirs.extensions);
  writeDefaultSettings(join(dirs.data, 'User/settings.json'));

  const port = await choosePort(opts);
  const logFile = join(STUDIO, 'code-server.log');
  const log = openSync(logFile, 'w');
  const env = { ...process.env, XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.share };
  delete env.NNB_HOST_TEST_OUT;
  delete env.PORT; // code-server reads PORT itself; --bind-addr says it
  const child = spawn(
    BIN,
    [
      '--bind-addr',
      `${HOST}:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      dirs.data,
      '--extensions-dir',
      dirs.extensions,
      opts.folder,
    ],
    // Its own process group, so Ctrl+C reaches only this script, which stops the whole group in order.
    { cwd: opts.folder, env, detached: true, stdio: ['ignore', log, log] },
  );

  let exited = false;
  let stopping = false;
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  child.on('exit', (code, signal) => {
    exited = true;
    if (stopping) {
      console.log('NN Blocks studio: stopped');
      process.exit(0);
    }
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n');
    console.error(`NN Blocks studio: code-server exited (${signal ?? `code ${code}`}). Last lines of ${logFile}:\n${tail}`);
    process.exit(1);
  });
  const stop = (signal) => {
    if (stopping) {
      killGroup('SIGKILL'); // a second Ctrl+C: no more waiting
      process.exit(130);
    }
    stopping = true;
    console.log(`\nNN Blocks studio: stopping code-server (${signal})...`);
    killGroup(signal);
    setTimeout(() => {
      if (!exited) killGroup('SIGKILL');
    }, 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  process.on('exit', () => {
    if (!exited) killGroup('SIGKILL');
  });

  const started = Date.now();
  for (;;) {
    if (exited) return;
    try {
      if ((await fetch(`http://${HOST}:${port}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() - started > 90000) {
      console.error(`NN Blocks studio: code-server did not answer on port ${port} within 90 s; see ${logFile}`);
      stop('SIGTERM');
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const url = folderUrl(port, opts.folder);
  console.log(`
  NN Blocks studio: ${url}

  VS Code (code-server) with NN Blocks, ${opts.folder} open and trusted. Open a *.nnb.json file to edit it
  in the graph editor; "NN Blocks: Train" in the command palette (F1) trains it.
  Log: ${logFile}
  Press Ctrl+C to stop.
`);
}

main().catch((e) => {
  console.error(`NN Blocks studio: ${e.stack ?? e}`);
  process.exit(1);
});
