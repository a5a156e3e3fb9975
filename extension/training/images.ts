/**
 * The training host's image-data requests from the panel: the data section's preview (sample grid and
 * class counts), a normalize step's mean and std computed from the training images, and Predict on an
 * image file. Reading streams the files with progress (engine/data/idx_file, image_folder), so the
 * extension host stays free while 60,000 images are read; the last set read is kept for the
 * normalization that usually follows its preview.
 */
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { resolveRunConfig } from '../../engine/train/config';
import { modelShapes } from '../../engine/train/document';
import { predictRunImage } from '../../engine/train/predict_image';
import { loadImageData, type ImageData } from '../../engine/data/image_source';
import { isImageDataSpec, type ImageDataSpec } from '../../engine/data/image_specs';
import { previewImages, type PreviewImage } from '../../engine/data/image_preview';
import { computeNormalization, DEFAULT_TRANSFORMS } from '../../engine/data/transforms';
import type { HostToPanel, ImageMessage, ImagePreviewMessage, PanelToHost } from '../../protocol/training';

/** Samples shown per class (fewer when there are many classes, so the grid stays about this size). */
const GRID_SIZE = 40;
const MAX_PER_CLASS = 6;

export function imageMessage(pixels: Uint8Array, shape: readonly [number, number, number]): ImageMessage {
  return {
    channels: shape[0],
    height: shape[1],
    width: shape[2],
    pixels: Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength).toString('base64'),
  };
}

export const previewImageMessage = (p: PreviewImage): ImageMessage => imageMessage(p.pixels, [p.channels, p.height, p.width]);

type ImageRequest = Extract<PanelToHost, { type: 'training/previewImages' | 'training/computeNormalization' | 'training/predictImage' }>;

export const isImageRequest = (m: PanelToHost): m is ImageRequest =>
  m.type === 'training/previewImages' || m.type === 'training/computeNormalization' || m.type === 'training/predictImage';

export interface ImageHostContext {
  modelPath: string;
  /** The model document as the editor holds it. */
  document: unknown;
  /** The nnblocks.fashionMnistDir setting. */
  fashionMnistDir: string | undefined;
  post: (msg: HostToPanel) => void;
  /** Lines for the NN Blocks Training output channel. */
  log: (line: string) => void;
}

export class ImageDataHost {
  private last: { key: string; data: Promise<ImageData> } | null = null;

  /** The image data spec a section names, resolved as a run resolves it (the Fashion-MNIST folder setting applied). */
  private specOf(section: Record<string, unknown>, ctx: ImageHostContext): ImageDataSpec {
    const data = resolveRunConfig('model', section, { fashionMnistDir: ctx.fashionMnistDir }).data;
    if (!isImageDataSpec(data)) throw new Error(`the data section names ${data.kind} data, not images`);
    return data;
  }

  private load(spec: ImageDataSpec, ctx: ImageHostContext, seq: number, fresh: boolean): Promise<ImageData> {
    const shapes = modelShapes(ctx.document ?? JSON.parse(readFileSync(ctx.modelPath, 'utf8')));
    if (shapes === null) throw new Error("the model has errors (see the canvas): fix them to read its images, whose shape is the model's input");
    const baseDir = path.dirname(ctx.modelPath);
    const key = JSON.stringify([spec, baseDir, shapes.inputShape]);
    if (!fresh && this.last?.key === key) return this.last.data;
    let sent = 0;
    const data = loadImageData(spec, baseDir, shapes.inputShape, {
      onProgress: (bytes, totalBytes) => {
        // At most about a hundred messages however many chunks the files arrive in.
        if (bytes === totalBytes || bytes - sent >= totalBytes / 100) {
          sent = bytes;
          ctx.post({ type: 'training/imageProgress', seq, bytes, totalBytes });
        }
      },
    });
    this.last = { key, data };
    data.catch(() => {
      if (this.last?.data === data) this.last = null;
    });
    return data;
  }

  async handle(m: ImageRequest, ctx: ImageHostContext): Promise<void> {
    switch (m.type) {
      case 'training/previewImages': {
        try {
          const data = await this.load(this.specOf(m.section, ctx), ctx, m.seq, true);
          ctx.post({ type: 'training/imagePreview', seq: m.seq, preview: previewMessage(data), error: null });
        } catch (e) {
          ctx.post({ type: 'training/imagePreview', seq: m.seq, preview: null, error: (e as Error).message });
        }
        return;
      }
      case 'training/computeNormalization': {
        try {
          const spec = this.specOf(m.section, ctx);
          const transforms = spec.transforms ?? DEFAULT_TRANSFORMS;
          // The statistics of the values as they reach the (first) normalize step; appended at the end when there is none.
          const at = m.index ?? transforms.findIndex((t) => t.kind === 'normalize');
          const data = await this.load(spec, ctx, m.seq, false);
          const { mean, std } = computeNormalization(data.train, at < 0 ? transforms : transforms.slice(0, at));
          ctx.log(
            `Normalization of ${data.describe}: mean [${mean.map((v) => v.toFixed(4)).join(', ')}], std [${std.map((v) => v.toFixed(4)).join(', ')}]`,
          );
          ctx.post({ type: 'training/normalization', seq: m.seq, mean, std });
        } catch (e) {
          ctx.post({ type: 'training/normalizationError', seq: m.seq, message: (e as Error).message });
        }
        return;
      }
      case 'training/predictImage': {
        const p = await predictRunImage(m.runDir, new Uint8Array(Buffer.from(m.bytes, 'base64')), m.name);
        const best = p.engine.indexOf(Math.max(...p.engine));
        ctx.log(
          `Predict ${m.runDir} on ${m.name}: ${p.classNames[best] ?? best} (${(100 * p.engine[best]).toFixed(1)}%)${p.onnx ? `, max |engine - onnxruntime| = ${p.maxAbsDiff?.toExponential(2)}` : `; onnxruntime: ${p.onnxError}`}`,
        );
        ctx.post({
          type: 'training/imagePrediction',
          runDir: m.runDir,
          name: m.name,
          image: imageMessage(p.pixels, p.shape),
          classNames: p.classNames,
          engine: p.engine,
          onnx: p.onnx,
          onnxError: p.onnxError,
          maxAbsDiff: p.maxAbsDiff,
        });
        return;
      }
    }
  }
}

function previewMessage(data: ImageData): ImagePreviewMessage {
  const classes = data.train.classNames.length;
  const preview = previewImages(data.train, Math.max(1, Math.min(MAX_PER_CLASS, Math.floor(GRID_SIZE / classes))));
  return {
    describe: data.describe,
    classNames: [...preview.classNames],
    classCounts: preview.classCounts,
    testCount: data.test === null ? null : data.test.length,
    samples: preview.samples.map((s) => ({ index: s.index, label: s.label, image: previewImageMessage(s) })),
  };
}
