/**
 * Reading a document: JSON syntax errors with line and column, then schema errors with the JSON path
 * and what was expected. Never throws for bad input in `validateDocument`; `parseDocument` throws one
 * error listing every problem.
 */
import { DocumentSchema, type ModelDocument } from './format';
import { jsonErrorOffset } from './json_error';
import { lineColumn, locatePath } from './locate';
import { documentErrorMap } from './schema_messages';
import { nestingIssue } from './validate_depth';

export interface DocumentIssue {
  /** JSON path, e.g. "model.children[2].args.inFeatures"; "" for the whole document. */
  path: string;
  message: string;
  /** 1-based line and column in the text, when known. */
  line?: number;
  column?: number;
}

export type ValidationResult = { ok: true; document: ModelDocument } | { ok: false; issues: DocumentIssue[] };

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/** Validates document text (or an already parsed JSON value). Never throws. */
export function validateDocument(source: string | unknown): ValidationResult {
  try {
    return validate(source);
  } catch (e) {
    // The nesting check keeps the recursive schema within the stack; this is the last guard of the
    // contract (an editor's Problems panel must get a message, whatever the text).
    return { ok: false, issues: [{ path: '', message: `cannot read this document: ${(e as Error).message}` }] };
  }
}

function validate(source: string | unknown): ValidationResult {
  let value: unknown = source;
  if (typeof source === 'string') {
    try {
      value = JSON.parse(source);
    } catch (e) {
      const message = (e as Error).message;
      const offset = jsonErrorOffset(source);
      const where = offset >= 0 ? lineColumn(source, offset) : undefined;
      return { ok: false, issues: [{ path: '', message: `not valid JSON: ${message}`, ...where }] };
    }
  }
  const deep = nestingIssue(value);
  if (deep !== null) {
    const issue: DocumentIssue = { path: formatPath(deep.path), message: deep.message };
    const line = typeof source === 'string' ? locatePath(source, deep.path) : undefined;
    if (line !== undefined) issue.line = line;
    return { ok: false, issues: [issue] };
  }
  const r = DocumentSchema.safeParse(value, { errorMap: documentErrorMap });
  if (r.success) return { ok: true, document: r.data };
  const issues = r.error.issues.map((i) => {
    const path = formatPath(i.path);
    const issue: DocumentIssue = { path, message: i.message };
    if (typeof source === 'string') {
      // A missing key has no position of its own: point at the closest enclosing value that exists.
      let line: number | undefined;
      for (let k = i.path.length; k >= 0 && line === undefined; k--) line = locatePath(source, i.path.slice(0, k));
      if (line !== undefined) issue.line = line;
    }
    return issue;
  });
  return { ok: false, issues };
}

export class DocumentError extends Error {
  constructor(
    readonly issues: DocumentIssue[],
    fileName = 'model',
  ) {
    super(
      `${fileName} is not a valid NN Blocks model:\n${issues.map((i) => `  ${i.line ? `line ${i.line}: ` : ''}${i.path || '(document)'}: ${i.message}`).join('\n')}`,
    );
  }
}

/** The validated document, or a DocumentError naming every problem. */
export function parseDocument(source: string | unknown, fileName?: string): ModelDocument {
  const r = validateDocument(source);
  if (!r.ok) throw new DocumentError(r.issues, fileName);
  return r.document;
}
