/**
 * zod's messages, reworded where they do not say what was expected: a missing key ("Required") names
 * the type it needs, and a value that fits no branch of a union ("Invalid input") lists what each branch
 * accepts and what it got. Everything else keeps zod's (or the schema's own) message.
 */
import { z } from 'zod';
import { quoted, quotedValue } from '../quote';

const describe = (data: unknown): string =>
  data === undefined
    ? 'nothing'
    : data === null
      ? 'null'
      : typeof data === 'string'
        ? quoted(data)
        : Array.isArray(data)
          ? 'an array'
          : typeof data === 'object'
            ? 'an object'
            : String(data);

/** "a number", "an object", "a boolean (true or false)": a zod type as a reader says it. */
const typeName = (t: string): string => (t === 'boolean' ? 'a boolean (true or false)' : `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`);

/**
 * What one branch of a union would have accepted at the union's own path. (zod reports a branch that
 * failed deeper inside the value by its own issues, so only top-level ones reach an invalid_union.)
 */
function branchExpects(branch: z.ZodError, depth: number): string[] {
  const out: string[] = [];
  for (const i of branch.issues) {
    if (i.path.length !== depth) continue;
    if (i.code === z.ZodIssueCode.invalid_type) out.push(typeName(i.expected));
    else if (i.code === z.ZodIssueCode.invalid_enum_value) out.push(`one of ${i.options.map((o) => JSON.stringify(o)).join(', ')}`);
    else if (i.code === z.ZodIssueCode.invalid_literal) out.push(JSON.stringify(i.expected));
  }
  return out;
}

export const documentErrorMap: z.ZodErrorMap = (issue, ctx) => {
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined') {
    return { message: `required: expected ${typeName(issue.expected)}` };
  }
  if (issue.code === z.ZodIssueCode.invalid_union) {
    const expects = [...new Set(issue.unionErrors.flatMap((b) => branchExpects(b, issue.path.length)))];
    if (expects.length > 0) {
      const list = expects.length === 1 ? expects[0] : `${expects.slice(0, -1).join(', ')} or ${expects[expects.length - 1]}`;
      return { message: `expected ${list}, got ${describe(ctx.data)}` };
    }
  }
  // zod's own texts (and the schema's, in ctx.defaultError) echo the value or the keys whole: a 10 MB
  // string would be the message. Only such messages are rebuilt, quoting a short prefix.
  if (ctx.defaultError.length <= 300) return { message: ctx.defaultError };
  if (issue.code === z.ZodIssueCode.invalid_enum_value) {
    return { message: `expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${quotedValue(issue.received)}` };
  }
  if (issue.code === z.ZodIssueCode.invalid_literal) return { message: `expected ${JSON.stringify(issue.expected)}, got ${quotedValue(ctx.data)}` };
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    const keys = issue.keys.slice(0, 10).map(quoted).join(', ');
    return { message: `Unrecognized key(s) in object: ${keys}${issue.keys.length > 10 ? ` and ${issue.keys.length - 10} more` : ''}` };
  }
  return { message: `${ctx.defaultError.slice(0, 200)}… (cut short)` };
};
