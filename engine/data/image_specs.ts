/**
 * The grammar of image data in a document's `training.data`: IDX files (MNIST format), the Fashion-MNIST
 * preset, and image folders, with their transforms. Written once here as zod schemas (types derived from
 * them); `IMAGE_DATA_SPEC_SCHEMAS` is spread into the DataSpecSchema union of engine/graph/format.ts.
 * Paths are relative to the model file's folder (or absolute).
 */
import { z } from 'zod';

const nonEmptyNumbers = z.array(z.number()).min(1);

export const TransformSchema = z.discriminatedUnion('kind', [
  /** Pixel values / 255: [0, 255] to [0, 1], as torchvision's ToTensor. */
  z.object({ kind: z.literal('scale') }).strict(),
  /** (x - mean) / std per channel (one value for all channels, or one per channel). */
  z.object({ kind: z.literal('normalize'), mean: nonEmptyNumbers, std: nonEmptyNumbers }).strict(),
  /** Mirrors the image left to right with probability p (default 0.5); training batches only. */
  z.object({ kind: z.literal('randomHorizontalFlip'), p: z.number().min(0).max(1).optional() }).strict(),
  /** Pads `padding` zeros on every side and crops back to the original size at a random place; training batches only. */
  z.object({ kind: z.literal('randomCrop'), padding: z.number().int().min(1) }).strict(),
]);
export type TransformSpec = z.infer<typeof TransformSchema>;
export const TransformsSchema = z.array(TransformSchema);

const IdxFilesSchema = z.object({ images: z.string().min(1), labels: z.string().min(1) }).strict();

/** IDX files: images ([count, rows, columns]) and labels ([count]), gzipped or not; optionally a separate test set. */
export const IdxSpecSchema = z
  .object({
    kind: z.literal('idx'),
    images: z.string().min(1),
    labels: z.string().min(1),
    /** The test set (Evaluate's test accuracy), distinct from the validation split taken from the training files. */
    test: IdxFilesSchema.optional(),
    /** Class names by label (default '0', '1', ...). */
    classNames: z.array(z.string().min(1)).min(2).optional(),
    transforms: TransformsSchema.optional(),
  })
  .strict();

/** Fashion-MNIST (train and test) from the folder the Debian package dataset-fashion-mnist installs, or `dir`. */
export const FashionMnistSpecSchema = z
  .object({
    kind: z.literal('fashionMnist'),
    /** The folder holding the four *-idx*-ubyte(.gz) files (default: /usr/share/datasets/fashion-mnist). */
    dir: z.string().min(1).optional(),
    transforms: TransformsSchema.optional(),
  })
  .strict();

/** One sub-folder per class (`path/cats/*.png`, ...), PNG or JPEG; class names are the sorted folder names. */
export const ImageFolderSpecSchema = z
  .object({
    kind: z.literal('imageFolder'),
    path: z.string().min(1),
    /** A test set in the same layout, with the same class folders. */
    testPath: z.string().min(1).optional(),
    /** Resize every image (bilinear) to the input size; off: an image of another size is an error. */
    resize: z.boolean().optional(),
    /**
     * The image shape when the model's input does not give it (a flat input such as [784]): size [H, W]
     * and grayscale (1 channel) or RGB (3). A [C, H, W] model input decides both by itself.
     */
    size: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
    grayscale: z.boolean().optional(),
    transforms: TransformsSchema.optional(),
  })
  .strict();

export type IdxSpec = z.infer<typeof IdxSpecSchema>;
export type FashionMnistSpec = z.infer<typeof FashionMnistSpecSchema>;
export type ImageFolderSpec = z.infer<typeof ImageFolderSpecSchema>;
export type ImageDataSpec = IdxSpec | FashionMnistSpec | ImageFolderSpec;

/** The image data kinds, for `z.discriminatedUnion('kind', [...others, ...IMAGE_DATA_SPEC_SCHEMAS])`. */
export const IMAGE_DATA_SPEC_SCHEMAS = [IdxSpecSchema, FashionMnistSpecSchema, ImageFolderSpecSchema] as const;
export const ImageDataSpecSchema = z.union(IMAGE_DATA_SPEC_SCHEMAS);

const IMAGE_DATA_KINDS: ReadonlySet<string> = new Set(IMAGE_DATA_SPEC_SCHEMAS.map((s) => s.shape.kind.value));
export const isImageDataSpec = (spec: { kind: string }): spec is ImageDataSpec => IMAGE_DATA_KINDS.has(spec.kind);
