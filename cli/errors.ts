/** A command-line mistake (exit code 2, usage printed), as opposed to a problem with the model (exit 1). */
export class UsageError extends Error {}
