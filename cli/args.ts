/** Minimal argument parsing for nnb: `--flag`, `--name value`, `--name=value`, `-o value`, positionals. */
import { UsageError } from './errors';

export interface ParsedArgs {
  positional: string[];
  flags: Set<string>;
  /** The last value of each option. */
  values: Map<string, string>;
  /** Every value of each option, in order (for options that may be given more than once). */
  lists: Map<string, string[]>;
}

export function parseArgs(argv: string[], spec: { flags: string[]; values: string[] }, positionals: number): ParsedArgs {
  const out: ParsedArgs = { positional: [], flags: new Set(), values: new Map(), lists: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('-') && a !== '-') {
      const eq = a.indexOf('=');
      const name = (eq >= 0 ? a.slice(0, eq) : a).replace(/^--?/, '');
      if (spec.flags.includes(name)) {
        if (eq >= 0) throw new UsageError(`--${name} takes no value`);
        out.flags.add(name);
      } else if (spec.values.includes(name)) {
        const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined || v === '') throw new UsageError(`${a} needs a value`);
        out.values.set(name, v);
        out.lists.set(name, [...(out.lists.get(name) ?? []), v]);
      } else throw new UsageError(`unknown option ${a}`);
    } else out.positional.push(a);
  }
  if (out.positional.length < positionals) throw new UsageError(`missing ${positionals === 1 ? 'the input file' : 'arguments'}`);
  if (out.positional.length > positionals) throw new UsageError(`unexpected argument '${out.positional[positionals]}'`);
  return out;
}
