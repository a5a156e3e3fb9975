// Model documents (browser-safe): format, validation, catalogue, analysis, build.
export * from './format';
export { validateDocument, parseDocument, DocumentError, formatPath, type DocumentIssue, type ValidationResult } from './parse';
export { serializeDocument } from './serialize';
export { LAYERS, layerSpec, resolvedArgs, checkArgs, type LayerSpec, type ArgSpec, type Shape, type Dim, type ArgValue, type Category } from './catalogue';
export { analyzeDocument, indexNodes, nodeLabel, isIdentifier, topologicalOrder, type Analysis, type Diagnostic } from './analyze';
export { buildModel, buildLayer, applyInit, pascalCase, GraphModule, ModelBuildError } from './build';
