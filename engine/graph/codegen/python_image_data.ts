/**
 * Image data in the generated PyTorch training script: readers for the image sources a document can
 * name (IDX files with gzip + numpy, Fashion-MNIST's four files, image folders with Pillow when it is
 * installed; torchvision is not needed) and the data's transforms, run in the document's order on
 * each batch of raw pixels (0..255) as NN Blocks runs them, random ones on training batches only.
 */
import type { WrittenData } from '../training';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, FASHION_MNIST_PACKAGE } from '../../data/fashion_mnist';
import { DEFAULT_TRANSFORMS } from '../../data/transforms';
import { isImageDataSpec, type ImageDataSpec } from '../../data/image_specs';
import { py } from './py_literals';

export type ImageData = Extract<WrittenData, ImageDataSpec>;
export const isImageData = (d: WrittenData): d is ImageData => isImageDataSpec(d);

/** Python text of a JSON-able value, read back with json.loads (lists of names, transforms). */
const pyJson = (v: unknown) => `json.loads(${py(JSON.stringify(v))})`;

/** The helpers the image sources use, placed before load_data(). */
export function imageHelpers(inputShape: readonly number[]): string {
  return `import gzip  # image data only: IDX files may be gzipped
import torch.nn.functional as F


INPUT_SHAPE = (${inputShape.join(', ')}${inputShape.length === 1 ? ',' : ''})


def read_idx(path):
    """An unsigned-byte IDX file (MNIST format), gzipped or not (told by its first bytes), as a numpy array."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:2] == b'\\x1f\\x8b':
        data = gzip.decompress(data)
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f'{path}: not an unsigned-byte IDX file (first bytes {data[:4].hex()})')
    ndim = data[3]
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def read_idx_pair(images, labels):
    """Images [N, 1, H, W] as bytes and labels [N] as class indices."""
    x = read_idx(images)
    y = read_idx(labels)
    if len(x) != len(y):
        raise ValueError(f'{images} holds {len(x)} images but {labels} holds {len(y)} labels')
    return torch.from_numpy(x.copy()).unsqueeze(1), torch.from_numpy(y.astype(np.int64))


def fashion_mnist_file(folder, stem):
    for name in (stem + '.gz', stem):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise FileNotFoundError(f'Fashion-MNIST is not in {folder}: {stem}.gz is missing; install the Debian package ${FASHION_MNIST_PACKAGE} or set "dir"')


def read_image_folder(root, classes, channels, size, resize):
    """One sub-folder per class (sorted names), PNG or JPEG, as bytes [N, C, H, W] and labels [N]."""
    try:
        from PIL import Image
    except ImportError:
        raise SystemExit('reading an image folder needs Pillow: pip install pillow')
    classes = classes or sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    xs, ys = [], []
    for label, name in enumerate(classes):
        for file in sorted(os.listdir(os.path.join(root, name))):
            if not file.lower().endswith(('.png', '.jpg', '.jpeg')):
                continue
            image = Image.open(os.path.join(root, name, file)).convert('L' if channels == 1 else 'RGB')
            a = torch.from_numpy(np.asarray(image, dtype=np.uint8).copy()).reshape(image.size[1], image.size[0], channels).permute(2, 0, 1)
            if tuple(a.shape[1:]) != tuple(size):
                if not resize:
                    raise ValueError(f'{os.path.join(root, name, file)} is {a.shape[2]}x{a.shape[1]}, not {size[1]}x{size[0]}: resize it or set "resize"')
                a = F.interpolate(a[None].float(), size=tuple(size), mode='bilinear', align_corners=False)[0].round().clamp(0, 255).to(torch.uint8)
            xs.append(a)
            ys.append(label)
    return torch.stack(xs), torch.tensor(ys, dtype=torch.int64), classes


def transform(xb, training):
    """The data's transforms on a batch of pixel bytes, in order; flips and crops only when training."""
    x = xb.float()
    for t in TRANSFORMS:
        kind = t['kind']
        if kind == 'scale':
            x = x / 255
        elif kind == 'normalize':
            mean = torch.tensor(t['mean']).reshape(1, -1, 1, 1)
            std = torch.tensor(t['std']).reshape(1, -1, 1, 1)
            x = (x - mean) / std
        elif kind == 'randomHorizontalFlip' and training:
            flip = torch.rand(len(x)) < t.get('p', 0.5)
            x[flip] = x[flip].flip(3)
        elif kind == 'randomCrop' and training:
            p = t['padding']
            h, w = x.shape[2], x.shape[3]
            padded = F.pad(x, (p, p, p, p))
            offsets = torch.randint(0, 2 * p + 1, (len(x), 2))
            x = torch.stack([padded[i, :, int(a):int(a) + h, int(b):int(b) + w] for i, (a, b) in enumerate(offsets)])
    return x.reshape(len(x), *INPUT_SHAPE)`;
}

/** The image shape a folder is decoded to: the model's [C, H, W] input, or the section's size and grayscale. */
function folderShape(d: Extract<ImageData, { kind: 'imageFolder' }>, inputShape: readonly number[]): [number, number, number] {
  if (inputShape.length === 3) return [inputShape[0], inputShape[1], inputShape[2]];
  if (d.size === undefined)
    throw new Error(`the model's input [${inputShape.join(', ')}] is not [channels, height, width]: give the images' size in the data section`);
  return [d.grayscale === true ? 1 : 3, d.size[0], d.size[1]];
}

/** The bodies of load_data() (training bytes and labels) and load_test_data() (the test set, or None). */
export function imageDataCode(d: ImageData, inputShape: readonly number[]): { train: string[]; test: string[]; transforms: string } {
  const at = (p: string) => `os.path.join(DOCUMENT_DIR, ${py(p)})`;
  const transforms = `TRANSFORMS = ${pyJson(d.transforms ?? DEFAULT_TRANSFORMS)}`;
  switch (d.kind) {
    case 'idx':
      return {
        transforms,
        train: [`    return read_idx_pair(${at(d.images)}, ${at(d.labels)})`],
        test: [d.test === undefined ? '    return None' : `    return read_idx_pair(${at(d.test.images)}, ${at(d.test.labels)})`],
      };
    case 'fashionMnist': {
      const folder = d.dir === undefined ? py(FASHION_MNIST_DIR) : at(d.dir);
      const pair = (set: 'train' | 't10k') =>
        `    return read_idx_pair(fashion_mnist_file(${folder}, '${set}-images-idx3-ubyte'), fashion_mnist_file(${folder}, '${set}-labels-idx1-ubyte'))`;
      return { transforms: `${transforms}\nCLASS_NAMES = ${pyJson(FASHION_MNIST_CLASSES)}`, train: [pair('train')], test: [pair('t10k')] };
    }
    case 'imageFolder': {
      const [c, h, w] = folderShape(d, inputShape);
      const read = (root: string, classes: string) => `read_image_folder(${at(root)}, ${classes}, ${c}, (${h}, ${w}), ${py(d.resize === true)})`;
      return {
        transforms,
        train: [`    x, y, _ = ${read(d.path, 'None')}`, '    return x, y'],
        test:
          d.testPath === undefined
            ? ['    return None']
            : [
                `    classes = sorted(n for n in os.listdir(${at(d.path)}) if os.path.isdir(os.path.join(${at(d.path)}, n)))`,
                `    x, y, _ = ${read(d.testPath, 'classes')}`,
                '    return x, y',
              ],
      };
    }
  }
}
