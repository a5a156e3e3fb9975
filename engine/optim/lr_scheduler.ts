/** Learning-rate schedules, stepped once per epoch (or per step) after optimizer.step(), as in PyTorch. */
import type { Hyper, Optimizer } from './optimizer';
import { scheduleDefaults, type ScheduleOptions } from './schedule_table';

export abstract class LRScheduler {
  lastEpoch = 0;
  readonly baseLrs: number[];

  constructor(readonly optimizer: Optimizer<Hyper>) {
    this.baseLrs = optimizer.paramGroups.map((g) => g.options.lr as number);
  }

  /** The learning rate of each group at `epoch`. */
  protected abstract lrAt(epoch: number, base: number): number;

  step(): void {
    this.lastEpoch++;
    this.optimizer.paramGroups.forEach((g, i) => (g.options.lr = this.lrAt(this.lastEpoch, this.baseLrs[i])));
  }

  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.options.lr as number);
  }

  stateDict(): { lastEpoch: number; baseLrs: number[] } {
    return { lastEpoch: this.lastEpoch, baseLrs: this.baseLrs.slice() };
  }

  loadStateDict(sd: { lastEpoch: number; baseLrs: number[] }): void {
    this.lastEpoch = sd.lastEpoch;
    sd.baseLrs.forEach((v, i) => (this.baseLrs[i] = v));
    this.optimizer.paramGroups.forEach((g, i) => (g.options.lr = this.lrAt(this.lastEpoch, this.baseLrs[i])));
  }
}

/** Multiplies the learning rate by gamma every stepSize epochs. */
export class StepLR extends LRScheduler {
  readonly options: ScheduleOptions<'StepLR'>;
  constructor(optimizer: Optimizer<Hyper>, options: Partial<ScheduleOptions<'StepLR'>> & { stepSize: number }) {
    super(optimizer);
    this.options = { ...scheduleDefaults('StepLR'), ...options };
    if (!Number.isInteger(options.stepSize) || options.stepSize <= 0)
      throw new Error(`StepLR: stepSize must be a positive integer, got ${options.stepSize}`);
  }
  protected lrAt(epoch: number, base: number): number {
    return base * Math.pow(this.options.gamma, Math.floor(epoch / this.options.stepSize));
  }
}

/** Multiplies the learning rate by gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  constructor(
    optimizer: Optimizer<Hyper>,
    readonly options: ScheduleOptions<'ExponentialLR'>,
  ) {
    super(optimizer);
  }
  protected lrAt(epoch: number, base: number): number {
    return base * Math.pow(this.options.gamma, epoch);
  }
}

/** Cosine annealing from the base rate down to etaMin over tMax epochs. */
export class CosineAnnealingLR extends LRScheduler {
  readonly options: ScheduleOptions<'CosineAnnealingLR'>;
  constructor(optimizer: Optimizer<Hyper>, options: Partial<ScheduleOptions<'CosineAnnealingLR'>> & { tMax: number }) {
    super(optimizer);
    this.options = { ...scheduleDefaults('CosineAnnealingLR'), ...options };
    if (!(options.tMax > 0)) throw new Error(`CosineAnnealingLR: tMax must be positive, got ${options.tMax}`);
  }
  protected lrAt(epoch: number, base: number): number {
    const { etaMin } = this.options;
    return etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * epoch) / this.options.tMax))) / 2;
  }
}
