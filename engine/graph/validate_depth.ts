/**
 * How deep nodes may nest, checked on the raw JSON before the schema reads it. The schema, the analysis,
 * buildModel and the generators all recurse through the tree, and generated PyTorch nests one call per
 * level: a named Sequential is `nn.Sequential(OrderedDict([(key, ...` (four brackets), and Python's parser
 * stops at 200 nested brackets ("too many nested parentheses"). So a document nesting deeper than
 * MAX_NESTING containers is refused here, naming the first node too deep, with an iterative walk (a
 * 5,000-level document must get this message, not a stack overflow).
 */
/** Containers (Sequential, Graph) one inside another, counting the model or block body as level 1. */
export const MAX_NESTING = 32;

export type PathPart = string | number;

/** The node nesting deeper than MAX_NESTING (the first found), as an issue at its path; null when none does. */
export function nestingIssue(value: unknown): { path: PathPart[]; message: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const roots: { node: unknown; path: PathPart[] }[] = [{ node: (value as { model?: unknown }).model, path: ['model'] }];
  const blocks = (value as { blocks?: unknown }).blocks;
  if (typeof blocks === 'object' && blocks !== null && !Array.isArray(blocks)) {
    for (const [name, def] of Object.entries(blocks)) {
      if (typeof def === 'object' && def !== null) roots.push({ node: (def as { body?: unknown }).body, path: ['blocks', name, 'body'] });
    }
  }
  for (const root of roots) {
    // Depth-first with an explicit stack; each entry knows its level.
    const stack: { node: unknown; path: PathPart[]; level: number }[] = [{ ...root, level: 1 }];
    while (stack.length > 0) {
      const { node, path, level } = stack.pop() as { node: unknown; path: PathPart[]; level: number };
      if (typeof node !== 'object' || node === null || Array.isArray(node)) continue;
      if (level > MAX_NESTING) {
        return {
          path,
          message: `nodes nest more than ${MAX_NESTING} levels deep here (containers inside containers): generated PyTorch would not parse and the editor could not show it; flatten the chain or move part of it into a block`,
        };
      }
      for (const key of ['children', 'nodes'] as const) {
        const list = (node as Record<string, unknown>)[key];
        if (Array.isArray(list)) for (let i = list.length - 1; i >= 0; i--) stack.push({ node: list[i], path: [...path, key, i], level: level + 1 });
      }
    }
  }
  return null;
}
