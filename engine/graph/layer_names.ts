/**
 * The names a layer may take: one rule set for the analysis and the editor's rename. A Graph layer's
 * name (or id) is an attribute of the generated class, so it is an identifier and not a keyword; a
 * Sequential child's name is a state-dict key given to `addModule` / `add_module`, so it has no dots.
 * Neither may be a member of its container: `self.cpu = nn.Linear(...)` makes PyTorch call
 * `Module.cpu(x)` in forward, `add_module('forward', ...)` raises KeyError, and the engine's Sequential
 * loses its `forward` or cannot set `length`.
 */
import { quoted } from '../quote';
// A list, not read from live engine objects: the analysis runs in the webview, which must not load the
// engine's tensors and kernels. test/graph/layer_names.test.ts checks the list against live instances.

/**
 * Public members of torch.nn.Module (torch 1.13 to 2.x, from `dir(nn.Module())`), and those nn.Sequential
 * adds. test/graph/pipeline/pytorch.test.ts compares them with the installed PyTorch. Private
 * names are covered by the leading-underscore rule below.
 */
const TORCH_MODULE = (
  'T_destination add_module apply bfloat16 buffers call_super_init children compile cpu cuda double dump_patches eval ' +
  'extra_repr float forward get_buffer get_extra_state get_parameter get_submodule half ipu load_state_dict modules mtia ' +
  'named_buffers named_children named_modules named_parameters parameters register_backward_hook register_buffer ' +
  'register_forward_hook register_forward_pre_hook register_full_backward_hook register_full_backward_pre_hook ' +
  'register_load_state_dict_post_hook register_load_state_dict_pre_hook register_module register_parameter ' +
  'register_state_dict_post_hook register_state_dict_pre_hook requires_grad_ set_extra_state set_submodule share_memory ' +
  'state_dict to to_empty train training type xpu zero_grad'
).split(' ');
const TORCH_SEQUENTIAL = ['append', 'extend', 'insert', 'pop'];

/** The engine's nn.Module (engine/nn/module.ts) with what every JavaScript object has. */
const ENGINE_MODULE = (
  'constructor training forward addModule registerParameter registerBuffer namedChildren children namedModules modules ' +
  'namedParameters parameters namedBuffers stateDict collectState loadStateDict getSubmodule apply train eval zeroGrad ' +
  'extraRepr toString toLocaleString valueOf hasOwnProperty isPrototypeOf propertyIsEnumerable'
).split(' ');
/** What engine/nn/sequential.ts and buildModel's GraphModule (engine/graph/build.ts) add. */
const ENGINE_SEQUENTIAL = ['length', 'get', 'append'];
const ENGINE_GRAPH = ['configure', 'graphPlan', 'graphInputs', 'graphOutput'];

const SEQUENTIAL = new Set([...ENGINE_MODULE, ...ENGINE_SEQUENTIAL, ...TORCH_MODULE, ...TORCH_SEQUENTIAL]);
const GRAPH = new Set([...ENGINE_MODULE, ...ENGINE_GRAPH, ...TORCH_MODULE]);

export const isIdentifier = (s: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);

/**
 * Words a Graph layer's attribute name cannot be: keywords of TypeScript or Python (`self.class = ...`
 * and `this.for` do not parse in one of them, or shadow the module itself).
 */
const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from global if import in is ' +
    'lambda nonlocal not or pass raise return try while with yield self super this new delete function var let const typeof void'
  ).split(' '),
);

/**
 * Names with a leading underscore are refused as a rule: PyTorch keeps its internals there (`_modules`,
 * `_parameters`, new ones in every release) and mangles `__name` inside a class body.
 */
function memberProblem(name: string, container: 'Graph' | 'Sequential'): string | null {
  if (name.startsWith('_')) {
    return `${quoted(name)} starts with an underscore, which PyTorch reserves for nn.Module's internals (_modules, _parameters, ...): choose a name without it`;
  }
  if ((container === 'Graph' ? GRAPH : SEQUENTIAL).has(name)) {
    return `${quoted(name)} is a method or field of nn.${container === 'Graph' ? 'Module' : 'Sequential'} (in the engine or PyTorch): a layer named so would hide it; choose another name`;
  }
  return null;
}

export function identifierProblem(name: string): string | null {
  return isIdentifier(name)
    ? null
    : `${quoted(name)} is not a valid identifier: use letters, digits and _, not starting with a digit (it becomes an attribute and a state-dict key)`;
}

/** Why `key` (a layer's name, or its id when unnamed) cannot be an attribute of a Graph, or null. */
export function graphAttributeProblem(key: string): string | null {
  const notIdentifier = identifierProblem(key);
  if (notIdentifier !== null) return notIdentifier;
  if (KEYWORDS.has(key)) return `${quoted(key)} is a keyword of TypeScript or Python: choose another name for this layer`;
  return memberProblem(key, 'Graph');
}

/** Why `name` cannot be the key of a Sequential child (`add_module(name, ...)`), or null. */
export function sequentialKeyProblem(name: string): string | null {
  if (name.includes('.') || name.trim() === '') return `${quoted(name)} cannot be a state-dict key: no dots, not blank`;
  // A line break or other control character in a key makes every file that spells it (generated code,
  // checkpoints, the Problems panel) hard to read or to write; an unpaired surrogate has no UTF-8 form.
  // eslint-disable-next-line no-control-regex -- finding control characters is what this expression is for
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name)) {
    return `${quoted(name)} cannot be a state-dict key: it holds a line break or another control character (or half of a UTF-16 pair)`;
  }
  return memberProblem(name, 'Sequential');
}
