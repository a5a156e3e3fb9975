/**
 * What a catalogue entry says about a layer: everything every consumer needs (the analysis, buildModel,
 * both code generators, the ONNX exporter, the palette and inspector, documentFromModule), so that adding
 * a layer is one entry. Type-only imports of the engine: the catalogue is read by the webview, which must
 * not bundle the engine for it (buildModel passes the engine's `nn` in).
 */
import type * as NN from '../../nn';
import type { Tensor } from '../../tensor';
import type { ArgValue } from '../format';

export type { ArgValue };
export type Dim = number | 'N';
/** A tensor shape with the batch dimension kept symbolic ('N'). */
export type Shape = Dim[];
export type Args = Record<string, ArgValue>;

export interface ArgSpec {
  name: string;
  /**
   * int, number, bool, enum (one of `options`); `size`: an int or a tuple of `arity` ints (a [h, w]
   * pair where PyTorch takes an int or a pair; `keywords` adds names such as 'same'); `ints`: a list of
   * ints (a shape).
   */
  type: 'int' | 'number' | 'bool' | 'enum' | 'size' | 'ints';
  default?: ArgValue;
  /** Required args have no default. */
  required?: boolean;
  min?: number;
  max?: number;
  options?: string[];
  /** For `size`: how many ints a tuple has (2 for [h, w]; 4 for ZeroPad2d's [left, right, top, bottom]). */
  arity?: number;
  /** For `size`: names accepted besides numbers (padding 'same' and 'valid'). */
  keywords?: string[];
  doc: string;
  /** The keyword in PyTorch (in_features) when it differs from the TypeScript name (inFeatures). */
  torchName: string;
  /**
   * How the constructor takes it: positional (TypeScript and PyTorch alike), or an option (a field of
   * the TypeScript options object, a keyword argument in PyTorch).
   */
  option?: boolean;
  /** Written in generated code even when it has its default (Softmax's dim: PyTorch warns without it). */
  always?: boolean;
  /**
   * A size a new layer takes from its input's shape where it is added, as PyTorch's Lazy modules infer
   * it: the last dimension (`features`: Linear's inFeatures, LayerNorm's normalizedShape) or dimension 1
   * (`channels`: a convolution's inChannels, BatchNorm's numFeatures).
   */
  fromInput?: 'features' | 'channels';
}

export type Category = 'linear' | 'convolution' | 'pooling' | 'normalization' | 'activation' | 'shape' | 'regularization' | 'merge';

/** An ONNX attribute, as plain data (the exporter turns it into protobuf). */
export type OnnxAttr =
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'ints'; value: number[] }
  | { name: string; kind: 'string'; value: string };

/** What an entry's ONNX emitter may do: add nodes and constants, and name the layer's tensors. */
export interface OnnxContext {
  /** The node's id: the base of every value name it adds. */
  readonly name: string;
  /** Adds a node with one output and returns the output's name (`suffix` distinguishes a layer's inner nodes). */
  op(opType: string, inputs: string[], attrs?: OnnxAttr[], suffix?: string): string;
  /** The initializer holding the layer's parameter or buffer `key` ('weight', 'running_mean'), or null when it has none. */
  tensor(key: string): string | null;
  /** A float scalar constant. */
  scalar(v: number): string;
  /** An int64 vector constant (shapes, pads, axes). */
  int64s(values: number[], suffix: string): string;
  /** A float constant of shape `dims` (default: a vector). */
  floats(values: number[], suffix: string, dims?: number[]): string;
}

interface EntryBase {
  op: string;
  category: Category;
  doc: string;
  args: ArgSpec[];
  /** The output shape, or a message saying why the inputs do not fit. */
  shape(inputs: Shape[], args: Args): Shape | string;
  /** `shape` in words, for the palette's tooltip and the inspector ('[N, *, inFeatures] → [N, *, outFeatures]'). */
  shapeRule: string;
  /** The ONNX operator(s) the exporter emits, in words. */
  onnxOps: string;
  /** The arguments worth reading at a glance on the canvas ('3x3, 16 → 32, s2'); default: those set in the document. */
  summary?(args: Args): string;
  /** Parameter names and shapes, in registration order (the state-dict order). */
  params(args: Args): [string, number[]][];
  /** Buffers in the state dict (BatchNorm's running statistics), names and shapes. */
  buffers(args: Args): [string, number[]][];
}

export interface LayerSpec extends EntryBase {
  merge: false;
  /** The engine's class (`nn.<engineClass>`) in TypeScript, and the class generated TypeScript names. */
  engineClass: string;
  /** The PyTorch expression for the class: `nn.Linear`, or a helper class defined by `torchHelper`. */
  torchClass: string;
  /** Python source of a helper class the generated PyTorch module defines when the layer is used (Step). */
  torchHelper?: string;
  /** The output has the input's shape (activations, dropout): a later Linear tells the feature count. */
  keepsShape: boolean;
  /** The layer's args read back from an engine module of its class (documentFromModule); default: fields named as the args. */
  argsOf?(m: NN.Module): Args;
  /**
   * Why the layer, with these args on this input, has no ONNX form (or null): the analysis warns with it,
   * so the document says before an export fails, and the emitter refuses with the same words.
   */
  onnxProblem?(a: Args, input: Shape): string | null;
  /** Emits the layer on input value `x` of shape `input` (output shape `out`); returns the output's name. */
  onnx(ctx: OnnxContext, x: string, a: Args, input: Shape, out: Shape): string;
}

export interface MergeSpec extends EntryBase {
  merge: true;
  /** The engine computation on the inputs, in port order. */
  apply(xs: Tensor[], a: Args, ops: { cat(xs: Tensor[], dim: number): Tensor }): Tensor;
  /** The expression in generated TypeScript (the names of the inputs, in port order) ... */
  tsExpr(xs: string[], a: Args): string;
  /** ... what it imports from the engine besides `nn` ... */
  tsImports: string[];
  /** ... and in PyTorch. */
  torchExpr(xs: string[], a: Args): string;
  onnx(ctx: OnnxContext, xs: string[], a: Args): string;
}

export type CatalogueEntry = LayerSpec | MergeSpec;
