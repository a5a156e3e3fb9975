/**
 * The loss (and accuracy / MSE) curves of a run as an SVG, with vega-lite + vega rendering headless
 * (renderer 'none', no canvas needed). Both packages are ESM with top-level await, so they are loaded
 * with a dynamic import() that also works from the CommonJS extension bundle (keep them external there).
 */
import type { MetricsRecord } from '../protocol';

/** The little of vega-lite and vega used here (their own types need moduleResolution node16). */
interface VegaLite {
  compile(spec: unknown): { spec: unknown };
}
interface VegaView {
  toSVG(): Promise<string>;
  finalize(): void;
}
interface Vega {
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, options: { renderer: 'none' }) => VegaView;
}

/**
 * A dynamic import() with a computed specifier: TypeScript keeps it as import() under CommonJS, and
 * esbuild leaves it for Node to resolve at run time, so vega is never bundled (its top-level await
 * cannot live in a CommonJS bundle); it loads from node_modules.
 */
const importEsm = (specifier: string): Promise<unknown> => import(specifier);

interface Row {
  step: number;
  value: number;
  /** 'train' or 'validation': one colour each, the same in every panel. */
  split: string;
  panel: string;
  /** Which run, when two are compared (one dash pattern each). */
  run: string;
}

function rows(records: readonly MetricsRecord[], run = ''): Row[] {
  const out: Row[] = [];
  const add = (step: number, value: number | undefined, split: string, panel: string) => {
    if (value !== undefined && Number.isFinite(value)) out.push({ step, value, split, panel, run });
  };
  for (const r of records) {
    add(r.step, r.loss, 'train', 'loss');
    add(r.step, r.valLoss, 'validation', 'loss');
    add(r.step, r.accuracy, 'train', 'accuracy');
    add(r.step, r.valAccuracy, 'validation', 'accuracy');
    add(r.step, r.mse, 'train', 'MSE');
    add(r.step, r.valMse, 'validation', 'MSE');
  }
  return out;
}

/**
 * The vega-lite spec: one panel per metric family (loss, accuracy or MSE), train and validation as two
 * colours, and with `byRun` two runs as solid and dashed lines.
 */
function spec(data: Row[], title: string, byRun: boolean): Record<string, unknown> {
  const panels = [...new Set(data.map((r) => r.panel))];
  const splits = ['train', 'validation'].filter((sp) => data.some((r) => r.split === sp));
  const runs = [...new Set(data.map((r) => r.run))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    background: 'white',
    data: { values: data },
    vconcat: panels.map((panel) => ({
      width: 560,
      height: 200,
      transform: [{ filter: { field: 'panel', equal: panel } }],
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step' },
        y: { field: 'value', type: 'quantitative', title: panel, scale: { zero: false } },
        color: { field: 'split', type: 'nominal', title: null, scale: { domain: splits, range: ['#d53e4f', '#3288bd'].slice(0, splits.length) } },
        ...(byRun
          ? {
              strokeDash: {
                field: 'run',
                type: 'nominal',
                title: 'run',
                scale: {
                  domain: runs,
                  range: [
                    [1, 0],
                    [6, 4],
                  ],
                },
              },
              detail: { field: 'run' },
            }
          : {}),
      },
    })),
  };
}

export function lossSpec(records: readonly MetricsRecord[], title: string): Record<string, unknown> {
  return spec(rows(records), title, false);
}

async function toSvg(vlSpec: Record<string, unknown>): Promise<string> {
  const vl = (await importEsm('vega-lite')) as VegaLite;
  const vega = (await importEsm('vega')) as Vega;
  const compiled = vl.compile(vlSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderLossSvg(records: readonly MetricsRecord[], title: string): Promise<string> {
  return toSvg(lossSpec(records, title));
}

/** Two runs' curves on one step axis: the first solid, the second dashed. */
export async function renderCompareSvg(
  a: { stamp: string; metrics: readonly MetricsRecord[] },
  b: { stamp: string; metrics: readonly MetricsRecord[] },
  title: string,
): Promise<string> {
  return toSvg(spec([...rows(a.metrics, a.stamp), ...rows(b.metrics, b.stamp)], title, true));
}
