// Entry used by bin/nnb.js: `main(argv)` resolves to the exit code (see ./nnb.ts for the commands).
export { main, USAGE } from './nnb';
