/**
 * TypeScript code generation: an `nn.Sequential(...)` expression for chains, a class extending
 * `nn.Module` with a `forward` for Graphs, a helper function per block, and one instance referenced
 * twice for shared weights. `generateTypeScriptRaw` is synchronous and already indented; the exported
 * `generateTypeScript` formats it with prettier's standalone build (browser-safe, like this module).
 */
import type { InitSpec, ModelDocument } from '../format';
import type { Args, ArgValue, LayerSpec } from '../catalogue';
import { constructorArgs } from '../layers/define';
import { lowerDocument, type ClassUnit, type Expr, type ForwardStep, type FunctionUnit, type Local } from './lower';

export interface TsOptions {
  /** Module specifier the generated code imports the engine from. */
  engineImport?: string;
  /** Name of the source document, for the header comment. */
  sourceName?: string;
}

/** Text safe inside a one-line comment: no line terminator (\r, \u2028 and \u2029 end a line too), no comment terminator. */
// eslint-disable-next-line no-control-regex -- finding control characters is what this expression is for
const commentText = (s: string) => s.replace(/\s*[\u0000-\u001f\u007f\u2028\u2029]+\s*/g, ' ').replace(/\*\//g, '* /');
const num = (v: ArgValue) => (typeof v === 'number' ? (Object.is(v, -0) ? '0' : String(v)) : JSON.stringify(v));

const value = (v: ArgValue): string => (Array.isArray(v) ? `[${v.map(num).join(', ')}]` : num(v));

/** The engine constructor call, as buildModel makes it: positional args, then an options object. */
function layerExpr(spec: LayerSpec, a: Args): string {
  const { positional, options } = constructorArgs(spec, a, true);
  const parts = positional.map((p) => value(p.value));
  if (options.length > 0) parts.push(`{ ${options.map((o) => `${o.spec.name}: ${value(o.value)}`).join(', ')} }`);
  return `new nn.${spec.engineClass}(${parts.join(', ')})`;
}

function expr(e: Expr, indent: string): string {
  switch (e.kind) {
    case 'layer':
      return layerExpr(e.spec, e.args);
    case 'local':
      return e.name;
    case 'callBlock':
      return `${e.fn}()`;
    case 'newClass':
      return `new ${e.cls}()`;
    case 'sequential': {
      const inner = `${indent}  `;
      if (e.items.length === 0) return 'new nn.Sequential()';
      if (e.named) {
        // addModule returns the Sequential, so named children chain as one expression.
        return `new nn.Sequential()${e.items.map((it) => `\n${inner}.addModule(${JSON.stringify(it.key)}, ${expr(it.expr, inner)})`).join('')}`;
      }
      return `new nn.Sequential(\n${e.items.map((it) => `${inner}${expr(it.expr, inner)},`).join('\n')}\n${indent})`;
    }
  }
}

function initCall(target: string, param: string, s: InitSpec): string {
  const t = param === 'bias' ? `${target}.bias!` : `${target}.${param}`;
  switch (s.kind) {
    case 'default':
      return '';
    case 'zeros':
      return `init.zeros_(${t});`;
    case 'ones':
      return `init.ones_(${t});`;
    case 'constant':
      return `init.constant_(${t}, ${num(s.value)});`;
    case 'normal':
      return `init.normal_(${t}, ${num(s.mean ?? 0)}, ${num(s.std)});`;
    case 'uniform':
      return `init.uniform_(${t}, ${num(s.low)}, ${num(s.high)});`;
    case 'xavierUniform':
      return `init.xavierUniform_(${t}, ${num(s.gain ?? 1)});`;
    case 'xavierNormal':
      return `init.xavierNormal_(${t}, ${num(s.gain ?? 1)});`;
    case 'kaimingUniform':
      return `init.kaimingUniform_(${t}, { nonlinearity: '${s.nonlinearity ?? 'leaky_relu'}' });`;
    case 'kaimingNormal':
      return `init.kaimingNormal_(${t}, { nonlinearity: '${s.nonlinearity ?? 'leaky_relu'}' });`;
  }
}

function locals(ls: Local[], indent: string): string[] {
  const out: string[] = [];
  for (const l of ls) {
    out.push(`${indent}const ${l.name} = ${expr(l.expr, indent)};`);
    for (const i of l.init) out.push(`${indent}${initCall(l.name, i.param, i.spec)}`);
  }
  return out;
}

function step(s: ForwardStep): string {
  return s.kind === 'call' ? `this.${s.attr}.forward(${s.args[0]})` : s.spec.tsExpr(s.args, s.mergeArgs);
}

function classUnit(u: ClassUnit): string {
  const lines = [`export class ${u.name} extends nn.Module {`];
  for (const a of u.attrs) lines.push(`  ${a.key}: ${a.type};`);
  lines.push('', '  constructor() {', '    super();');
  lines.push(...locals(u.locals, '    '));
  for (const a of u.attrs) lines.push(`    this.${a.key} = ${expr(a.expr, '    ')};`);
  lines.push('  }', '');
  lines.push(`  override forward(${u.inputs.map((i) => `${i}: Tensor`).join(', ')}): Tensor {`);
  for (const s of u.steps) lines.push(`    const ${s.out} = ${step(s)};`);
  lines.push(`    return ${u.output};`, '  }', '}');
  return lines.join('\n');
}

function functionUnit(u: FunctionUnit, doc?: string): string {
  const lines = doc ? [`/** ${commentText(doc)} */`] : [];
  lines.push(`export function ${u.name}(): ${u.type} {`);
  lines.push(...locals(u.locals, '  '));
  lines.push(`  return ${expr(u.expr, '  ')};`, '}');
  return lines.join('\n');
}

/** Unformatted (but indented) TypeScript for a valid document. */
export function generateTypeScriptRaw(doc: ModelDocument, options: TsOptions = {}): string {
  const p = lowerDocument(doc);
  const imports = new Set([...p.used].flatMap((spec) => (spec.merge ? spec.tsImports : [])));
  const names = ['nn', ...(p.hasInit ? ['init'] : []), ...[...imports].sort(), 'type Tensor'];
  const parts = [
    `// ${doc.name}: generated by NN Blocks from ${commentText(options.sourceName ?? `${doc.name}.nnb.json`)}. Edit the model document, not this file.` +
      (options.engineImport === undefined
        ? "\n// 'nn-blocks/engine' is the NN Blocks engine package: `node scripts/pack-engine.mjs` in NN Blocks packs it as nn-blocks-<version>.tgz; `npm install <that .tgz>` here."
        : ''),
    `import { ${names.join(', ')} } from ${JSON.stringify(options.engineImport ?? 'nn-blocks/engine')};`,
  ];
  for (const u of p.units) parts.push(u.kind === 'class' ? classUnit(u) : functionUnit(u));
  if (p.entry.kind === 'class') {
    parts.push(classUnit(p.entry));
    parts.push(
      `/** ${commentText(doc.description ?? `The ${doc.name} model.`)} */\nexport function createModel(): ${p.entry.name} {\n  return new ${p.entry.name}();\n}`,
    );
  } else parts.push(functionUnit(p.entry, doc.description ?? `The ${doc.name} model.`));
  // `Tensor` is only a type; keep the import when no forward uses it so the header stays uniform.
  const text = `${parts.join('\n\n')}\n`;
  return text.includes(': Tensor') ? text : text.replace(', type Tensor }', ' }');
}

/** TypeScript for a valid document, formatted with prettier. */
export async function generateTypeScript(doc: ModelDocument, options: TsOptions = {}): Promise<string> {
  return formatTypeScript(generateTypeScriptRaw(doc, options));
}

/**
 * Prettier with its babel-ts parser: for the code we generate it prints exactly what the typescript
 * parser does (checked on every example and the 500-node bench document), at about 60% of the time and a
 * third of the bundle.
 */
export async function formatTypeScript(source: string): Promise<string> {
  const [prettier, babel, estree] = await Promise.all([
    import('prettier/standalone'),
    import('prettier/plugins/babel'),
    import('prettier/plugins/estree'),
  ]);
  return prettier.format(source, { parser: 'babel-ts', plugins: [babel, estree], singleQuote: true, printWidth: 100 });
}
