// Model documents (browser-safe): format, validation, catalogue, analysis, build, code generation and
// ONNX encoding. Node-only parts are imported from their own files: ./onnx/file (writes .onnx files)
// and ./onnx/run (onnxruntime-node inference).
export * from './format';
export { validateDocument, parseDocument, DocumentError, formatPath, type DocumentIssue, type ValidationResult } from './parse';
export { idLocator } from './locate';
export { serializeDocument } from './serialize';
export {
  LAYERS,
  STRUCTURAL,
  layerSpec,
  resolvedArgs,
  checkArgs,
  type LayerSpec,
  type ArgSpec,
  type Shape,
  type Dim,
  type ArgValue,
  type Category,
} from './catalogue';
export {
  analyzeDocument,
  indexNodes,
  nodeLabel,
  isIdentifier,
  topologicalOrder,
  type Analysis,
  type AnalysisOptions,
  type Diagnostic,
} from './analyze';
export { DEFAULT_WARN_PARAMS, MAX_TENSOR_VALUES } from './analyze_size';
export { MAX_NESTING } from './validate_depth';
export { placeNodes, type NodePlace } from './scopes';
export { buildModel, buildLayer, applyInit, GraphModule, ModelBuildError } from './build';
export { generateTypeScript, generateTypeScriptRaw, formatTypeScript, type TsOptions } from './codegen/typescript';
export { generatePyTorch, type PyOptions } from './codegen/python';
export { toOnnxBytes, toOnnxModel, ONNX_OPSET, type OnnxExportOptions, type OnnxSource } from './onnx/export';
export { documentFromModule, type FromModuleOptions } from './from_module';
