/**
 * Where things are in a document's text: the line of a JSON path (schema errors) and of a node or edge
 * by its id (analysis errors), so the CLI and VS Code's Problems panel point at the line to change.
 */
import type { ModelDocument, ModelNode } from './format';
import { isGraph, isSequential } from './nodes';

type JsonPath = readonly (string | number)[];

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/**
 * The line where a JSON path's value starts, found by walking the text with the same key order: good
 * enough to point the user at the right place without a full position-tracking parser.
 */
export function locatePath(text: string, path: JsonPath): number | undefined {
  let pos = 0;
  const skipWs = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const skipValue = (): void => {
    skipWs();
    const c = text[pos];
    if (c === '"') {
      pos++;
      while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
      pos++;
    } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      pos++;
      skipWs();
      if (text[pos] === close) {
        pos++;
        return;
      }
      for (;;) {
        if (c === '{') {
          skipValue();
          skipWs();
          pos++; // ':'
        }
        skipValue();
        skipWs();
        if (text[pos] === ',') pos++;
        else {
          pos++;
          return;
        }
      }
    } else {
      while (pos < text.length && !/[\s,\]}]/.test(text[pos])) pos++;
    }
  };
  for (const key of path) {
    skipWs();
    const c = text[pos];
    if (c === '{' && typeof key === 'string') {
      pos++;
      let found = false;
      for (;;) {
        skipWs();
        if (text[pos] === '}') return undefined;
        const start = pos;
        skipValue();
        const name = JSON.parse(text.slice(start, pos)) as string;
        skipWs();
        pos++;
        if (name === key) {
          found = true;
          break;
        }
        skipValue();
        skipWs();
        if (text[pos] === ',') pos++;
      }
      if (!found) return undefined;
    } else if (c === '[' && typeof key === 'number') {
      pos++;
      for (let i = 0; i < key; i++) {
        skipValue();
        skipWs();
        if (text[pos] !== ',') return undefined;
        pos++;
      }
    } else return undefined;
  }
  skipWs();
  return lineColumn(text, pos).line;
}

/** The JSON path of every node and edge object, by id (the first one when an id is used twice). */
export function idPaths(doc: ModelDocument): Map<string, JsonPath> {
  const out = new Map<string, JsonPath>();
  const visit = (n: ModelNode, path: JsonPath) => {
    if (!out.has(n.id)) out.set(n.id, path);
    if (isSequential(n)) n.children.forEach((c, i) => visit(c, [...path, 'children', i]));
    if (isGraph(n)) {
      const g = n;
      g.nodes.forEach((c, i) => visit(c, [...path, 'nodes', i]));
      g.edges.forEach((e, i) => {
        if (!out.has(e.id)) out.set(e.id, [...path, 'edges', i]);
      });
    }
  };
  visit(doc.model, ['model']);
  for (const [name, def] of Object.entries(doc.blocks ?? {})) visit(def.body, ['blocks', name, 'body']);
  return out;
}

/** A line finder for one text: the line of the `"id"` of the node or edge with that id, if any. */
export function idLocator(text: string, doc: ModelDocument): (id: string) => number | undefined {
  const paths = idPaths(doc);
  return (id) => {
    const path = paths.get(id);
    return path === undefined ? undefined : locatePath(text, [...path, 'id']);
  };
}
