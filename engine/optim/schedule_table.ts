/**
 * The one table of learning-rate schedules, in the optimizer table's terms (engine/optim/hyper.ts): the
 * key is PyTorch's class name (`torch.optim.lr_scheduler.<key>`), each field has its default, limits and
 * PyTorch keyword. The schedulers in lr_scheduler.ts take their defaults from here, and the document
 * schema, the run set-up, the generated PyTorch script and the training form read it. Data only.
 */
import { defaultsOf, type FieldTable, type ValuesOf } from './hyper';

export interface ScheduleEntry {
  doc: string;
  fields: FieldTable;
}

const gamma = (required: boolean, value: number) =>
  ({
    kind: 'number',
    label: 'Gamma',
    doc: 'Factor the learning rate is multiplied by.',
    torch: 'gamma',
    required,
    default: value,
    min: 0,
    minExclusive: true,
  }) as const;

export const SCHEDULES = {
  StepLR: {
    doc: 'Multiplies the learning rate by gamma every stepSize epochs.',
    fields: {
      stepSize: {
        kind: 'number',
        label: 'Step size (epochs)',
        doc: 'Epochs between two decays.',
        torch: 'step_size',
        required: true,
        default: 10,
        integer: true,
        min: 1,
      },
      gamma: gamma(false, 0.1),
    },
  },
  ExponentialLR: { doc: 'Multiplies the learning rate by gamma every epoch.', fields: { gamma: gamma(true, 0.95) } },
  CosineAnnealingLR: {
    doc: 'Cosine annealing from the base rate down to etaMin over tMax epochs.',
    fields: {
      tMax: {
        kind: 'number',
        label: 'T max (epochs)',
        doc: 'Epochs of one half cosine period.',
        torch: 'T_max',
        required: true,
        default: 10,
        integer: true,
        min: 1,
      },
      etaMin: { kind: 'number', label: 'Minimum LR', doc: 'The learning rate at the bottom of the cosine.', torch: 'eta_min', default: 0, min: 0 },
    },
  },
} as const satisfies Record<string, ScheduleEntry>;

export type ScheduleName = keyof typeof SCHEDULES;
export const SCHEDULE_NAMES = Object.keys(SCHEDULES) as ScheduleName[];

export type ScheduleOptions<N extends ScheduleName> = ValuesOf<(typeof SCHEDULES)[N]['fields']>;

export const scheduleDefaults = <N extends ScheduleName>(name: N): ScheduleOptions<N> => defaultsOf(SCHEDULES[name].fields);

export const scheduleEntry = (name: ScheduleName): ScheduleEntry => SCHEDULES[name];
