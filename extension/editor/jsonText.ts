/**
 * Where things are in a model's JSON text, without the `vscode` API (so unit tests reach it): the one
 * span in which two versions of the text differ.
 */

/**
 * The smallest single span to replace in `before` to get `after`: the common start and end are kept.
 * An edit from the graph then touches only the lines it changes, so a text editor open on the same file
 * keeps its cursor, folds and scroll position, and undo in it selects just the change.
 */
export function changedSpan(before: string, after: string): { start: number; end: number; text: string } {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < shorter - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}
