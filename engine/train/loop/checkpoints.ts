/**
 * Which checkpoints a run has (file names in checkpoints/, oldest first) and when the next is due:
 * every `every` steps, counted from the last one written or resumed from.
 */
export class CheckpointLog {
  readonly names: string[] = [];
  private lastStep = -1;

  constructor(private readonly every: number) {}

  due(step: number): boolean {
    return step - this.lastStep >= this.every;
  }

  /** Whether the last checkpoint is of `step` (the end of a run writes one unless it is). */
  isAt(step: number): boolean {
    return step === this.lastStep;
  }

  /** The checkpoint a resumed run starts from. */
  resumedFrom(name: string, step: number): void {
    this.lastStep = step;
    this.names.push(name);
  }

  written(name: string, step: number): void {
    this.lastStep = step;
    if (!this.names.includes(name)) this.names.push(name);
  }

  last(): string | undefined {
    return this.names[this.names.length - 1];
  }
}
