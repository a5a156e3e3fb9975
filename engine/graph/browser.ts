// The part of engine/graph that the webview bundles: documents, validation, catalogue, analysis, code
// generation. It imports nothing from the engine's tensors or kernels (those use
// node:fs and worker_threads today), so esbuild's browser build of this entry needs no Node built-ins.
// Building models (./build) and ONNX export (./onnx/*) are reached through ./index instead.
export * from './format';
export { validateDocument, parseDocument, DocumentError, formatPath, type DocumentIssue, type ValidationResult } from './parse';
export { idLocator } from './locate';
export { serializeDocument } from './serialize';
export { LAYERS, STRUCTURAL, layerSpec, resolvedArgs, checkArgs, type LayerSpec, type ArgSpec, type Shape, type Dim, type ArgValue, type Category } from './catalogue';
export { analyzeDocument, indexNodes, nodeLabel, isIdentifier, topologicalOrder, type Analysis, type AnalysisOptions, type Diagnostic } from './analyze';
export { DEFAULT_WARN_PARAMS, MAX_TENSOR_VALUES } from './analyze_size';
export { MAX_NESTING } from './validate_depth';
export { placeNodes, type NodePlace } from './scopes';
export { generateTypeScript, generateTypeScriptRaw, formatTypeScript, type TsOptions } from './codegen/typescript';
export { generatePyTorch, type PyOptions } from './codegen/python';
