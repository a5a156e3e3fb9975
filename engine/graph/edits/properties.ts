/** Inspector edits: a node's name (its state-dict key), layer arguments, parameter init, the input shape, training. */
import { graphAttributeProblem, identifierProblem, sequentialKeyProblem } from '../layer_names';
import { checkArgs, layerSpec, type ArgValue } from '../catalogue';
import { InitSchema, TrainingSchema, type InitSpec, type ModelDocument, type TrainingSpec } from '../format';
import { isLayer } from '../nodes';
import { childrenOf, cloneDocument, locate } from './tree';
import { done, refuse, type EditResult } from './types';

/** Why `name` cannot name node `id` where it is, or null when it can. Empty means "no name". */
export function nameProblem(doc: ModelDocument, id: string, name: string): string | null {
  const loc = locate(doc, id);
  if (loc === undefined) return `there is no node "${id}"`;
  if (name === '') return loc.parent?.op === 'Graph' ? null : null;
  if (loc.parent === null || loc.parent.op === 'Graph') {
    const problem = loc.parent === null ? identifierProblem(name) : graphAttributeProblem(name);
    if (problem !== null) return problem;
  } else {
    const problem = sequentialKeyProblem(name);
    if (problem !== null) return problem;
    // Stricter than the format, so names typed in the inspector stay readable keys.
    if (!/^[A-Za-z0-9_ ]+$/.test(name)) return `"${name}" may only use letters, digits, spaces and _ (it becomes a state-dict key)`;
  }
  if (loc.parent !== null) {
    const siblings = childrenOf(loc.parent);
    const clash = siblings.find((s, i) => s.id !== id && (s.name ?? (loc.parent?.op === 'Sequential' ? String(i) : s.id)) === name);
    if (clash !== undefined) return `"${name}" is already the key of ${clash.id} in the same container`;
  }
  return null;
}

export function rename(doc: ModelDocument, id: string, name: string): EditResult {
  const trimmed = name.trim();
  const problem = nameProblem(doc, id, trimmed);
  if (problem !== null) return refuse(problem);
  const next = cloneDocument(doc);
  const node = (locate(next, id) as NonNullable<ReturnType<typeof locate>>).node;
  if (trimmed === '') delete node.name;
  else node.name = trimmed;
  return done(next, [id]);
}

/** Sets (or with null, removes) arguments; refuses values the catalogue does not allow for those arguments. */
export function setArgs(doc: ModelDocument, id: string, changes: Record<string, ArgValue | null>): EditResult {
  const next = cloneDocument(doc);
  const loc = locate(next, id);
  if (loc === undefined) return refuse(`there is no node "${id}"`);
  const node = loc.node;
  const spec = isLayer(node) ? layerSpec(node.op) : undefined;
  if (spec === undefined || !isLayer(node)) return refuse(`${id} is a ${node.op}: it has no arguments`);
  const args = { ...(node.args ?? {}) };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete args[k];
    else args[k] = v;
  }
  const problems = checkArgs(spec, args).filter((p) => Object.keys(changes).some((k) => p.includes(`"${k}"`)));
  if (problems.length > 0) return refuse(problems.join('; '));
  if (Object.keys(args).length > 0) node.args = args;
  else delete node.args;
  return done(next, [id]);
}

export function setInit(doc: ModelDocument, id: string, param: string, init: InitSpec | null): EditResult {
  const next = cloneDocument(doc);
  const loc = locate(next, id);
  if (loc === undefined) return refuse(`there is no node "${id}"`);
  const node = loc.node;
  if (!isLayer(node)) return refuse(`${id} is a ${node.op}: it has no parameters of its own`);
  const spec = layerSpec(node.op);
  const params = spec
    ? spec.params({ ...Object.fromEntries(spec.args.map((a) => [a.name, a.default ?? 1])), ...(node.args ?? {}) }).map(([p]) => p)
    : [];
  if (!params.includes(param)) return refuse(`${id} has no parameter "${param}"${params.length ? ` (it has ${params.join(', ')})` : ''}`);
  const inits = { ...(node.init ?? {}) };
  if (init === null || init.kind === 'default') delete inits[param];
  else {
    const r = InitSchema.safeParse(init);
    if (!r.success) return refuse(`invalid init for ${param}: ${r.error.issues.map((i) => i.message).join('; ')}`);
    inits[param] = r.data;
  }
  if (Object.keys(inits).length > 0) node.init = inits;
  else delete node.init;
  return done(next, [id]);
}

export function setInputShape(doc: ModelDocument, shape: number[]): EditResult {
  if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1))
    return refuse('the input shape is a list of positive integers, like [2] or [1, 28, 28]');
  const next = cloneDocument(doc);
  next.input = { shape: shape.slice() };
  return done(next);
}

export function setTraining(doc: ModelDocument, training: TrainingSpec | null): EditResult {
  const next = cloneDocument(doc);
  if (training === null) {
    delete next.training;
    return done(next);
  }
  const r = TrainingSchema.safeParse(training);
  if (!r.success) return refuse(`invalid training section: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  next.training = r.data;
  return done(next);
}
