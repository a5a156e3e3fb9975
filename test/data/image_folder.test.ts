// Image folders (one sub-folder per class) made here with pngjs and jpeg-js: PNG and JPEG, grayscale and
// RGB, bilinear resize against PyTorch's numbers, and the errors for an empty class, a broken file and a
// wrong size, each naming the folder or file.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { readImageFolder, readImageFile, resizeBilinear, loadImageData, imageFolderShape, ImageFolderSpecSchema } from '../../engine/data';

/** An RGBA buffer of w x h where pixel (x, y) has the colour `at(x, y)`. */
function rgba(w: number, h: number, at: (x: number, y: number) => [number, number, number]): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = at(x, y);
      data.set([r, g, b, 255], 4 * (y * w + x));
    }
  }
  return data;
}

function pngFile(file: string, w: number, h: number, at: (x: number, y: number) => [number, number, number], colorType: 0 | 2 | 6 = 6): void {
  const png = new PNG({ width: w, height: h });
  png.data = rgba(w, h, at);
  writeFileSync(file, PNG.sync.write(png, { colorType }));
}

function jpegFile(file: string, w: number, h: number, at: (x: number, y: number) => [number, number, number]): void {
  writeFileSync(file, jpeg.encode({ data: rgba(w, h, at), width: w, height: h }, 95).data);
}

function folder(name: string): string {
  const root = mkdtempSync(join(tmpdir(), `nnb-images-${name}-`));
  return root;
}

test('PNG and JPEG classes read as RGB and grayscale, classes sorted by folder name, other files skipped', async () => {
  const root = folder('mixed');
  for (const c of ['zebra', 'ant']) mkdirSync(join(root, c));
  const red: [number, number, number] = [200, 30, 10];
  const gradient = (x: number, y: number): [number, number, number] => [10 * x, 20 * y, 100];
  pngFile(join(root, 'zebra', 'a.png'), 4, 3, gradient);
  pngFile(join(root, 'zebra', 'b.PNG'), 4, 3, () => [77, 77, 77], 0); // a grayscale PNG
  jpegFile(join(root, 'ant', 'c.jpg'), 4, 3, () => red);
  writeFileSync(join(root, 'ant', '.DS_Store'), 'not an image');
  writeFileSync(join(root, 'ant', 'notes.txt'), 'not an image');

  const progress: number[] = [];
  const rgb = await readImageFolder(root, { shape: [3, 3, 4], onProgress: (b, t) => progress.push(b / t) });
  assert.deepEqual(rgb.classNames, ['ant', 'zebra']);
  assert.deepEqual([...rgb.labels], [0, 1, 1]);
  assert.equal(progress.at(-1), 1);
  assert.equal(rgb.images.length, 3 * 36);
  // The JPEG (lossy) is red within a few levels everywhere, channel-major: 12 R values, 12 G, 12 B.
  const jpegPixels = rgb.images.subarray(0, 36);
  for (let p = 0; p < 12; p++) {
    for (let c = 0; c < 3; c++)
      assert.ok(Math.abs(jpegPixels[c * 12 + p] - red[c]) <= 4, `JPEG pixel ${p} channel ${c}: ${jpegPixels[c * 12 + p]} vs ${red[c]}`);
  }
  // The PNG is exact: pixel (x=2, y=1) is [20, 20, 100].
  const png = rgb.images.subarray(36, 72);
  assert.deepEqual([png[1 * 4 + 2], png[12 + 1 * 4 + 2], png[24 + 1 * 4 + 2]], [20, 20, 100]);
  assert.deepEqual([...rgb.images.subarray(72, 84)], new Array(12).fill(77));

  const gray = await readImageFolder(root, { shape: [1, 3, 4] });
  // PIL's convert('L'): (19595 R + 38470 G + 7471 B + 32768) >> 16; gray stays gray.
  const lum = (r: number, g: number, b: number) => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
  assert.equal(gray.images[12 + 1 * 4 + 2], lum(20, 20, 100));
  assert.equal(gray.images[12 + 0], lum(0, 0, 100));
  assert.deepEqual([...gray.images.subarray(24, 36)], new Array(12).fill(77));
});

test('bilinear resize samples as PyTorch F.interpolate(align_corners=False) does', () => {
  const src = Uint8Array.from([0, 10, 200, 255, 30, 60, 90, 120, 255, 0, 128, 7]);
  // torch.round(F.interpolate(src.reshape(1, 1, 3, 4).float(), size=..., mode='bilinear', align_corners=False)).
  assert.deepEqual(
    [...resizeBilinear(src, 1, 3, 4, 5, 7)],
    [
      0, 4, 9, 105, 204, 235, 255, 12, 18, 29, 93, 159, 185, 201, 30, 41, 58, 75, 92, 109, 120, 165, 115, 34, 68, 108, 74, 52, 255, 164, 18, 64, 119,
      50, 7,
    ],
  );
  assert.deepEqual([...resizeBilinear(src, 1, 3, 4, 2, 3)], [10, 98, 213, 168, 67, 49]);
  // Channels are resized independently.
  const other = src.map((v) => 255 - v);
  const two = resizeBilinear(Uint8Array.from([...src, ...other]), 2, 3, 4, 2, 3);
  assert.deepEqual([...two.subarray(0, 6)], [10, 98, 213, 168, 67, 49]);
  assert.deepEqual([...two.subarray(6)], [...resizeBilinear(other, 1, 3, 4, 2, 3)]);
});

test('images of another size are resized when asked, and refused by name when not', async () => {
  const root = folder('sizes');
  mkdirSync(join(root, 'a'));
  mkdirSync(join(root, 'b'));
  const pattern = (x: number, y: number): [number, number, number] => [x * 40, y * 40, 0];
  pngFile(join(root, 'a', 'big.png'), 6, 6, pattern);
  pngFile(join(root, 'b', 'small.png'), 3, 3, pattern);
  const resized = await readImageFolder(root, { shape: [3, 3, 3], resize: true });
  // 6 -> 3 bilinear with half-pixel centres samples between pixels 0.5, 2.5, 4.5: R of row 0 = 20, 100, 180.
  assert.deepEqual([...resized.images.subarray(0, 3)], [20, 100, 180]);
  assert.deepEqual([...resized.images.subarray(27, 30)], [0, 40, 80]);
  // One file for Predict decodes exactly as the folder does.
  assert.deepEqual(await readImageFile(join(root, 'a', 'big.png'), [3, 3, 3], true), resized.images.subarray(0, 27));
  await assert.rejects(readImageFile(join(root, 'a', 'big.png'), [3, 3, 3]), {
    message: /big\.png: the image is 6x6 \(width x height\) but the input is 3x3/,
  });
  await assert.rejects(readImageFolder(root, { shape: [3, 3, 3] }), {
    message: `${join(root, 'a', 'big.png')}: the image is 6x6 (width x height) but the input is 3x3 ([3, 3, 3]): turn on resize, or resize the images`,
  });
});

test('an empty class folder, a broken image, a missing folder and a test set with other classes are named', async () => {
  const root = folder('errors');
  mkdirSync(join(root, 'cats'));
  mkdirSync(join(root, 'dogs'));
  pngFile(join(root, 'cats', '1.png'), 2, 2, () => [1, 2, 3]);
  writeFileSync(join(root, 'dogs', 'readme.txt'), 'no images here');
  await assert.rejects(readImageFolder(root, { shape: [1, 2, 2] }), {
    message: `class folder ${join(root, 'dogs')} holds no images (.png, .jpg, .jpeg files): add images or remove the folder`,
  });

  writeFileSync(join(root, 'dogs', 'broken.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
  await assert.rejects(readImageFolder(root, { shape: [1, 2, 2] }), {
    message: new RegExp(`^${escape(join(root, 'dogs', 'broken.png'))}: cannot decode this PNG image`),
  });
  writeFileSync(join(root, 'dogs', 'broken.png'), 'GIF89a...');
  await assert.rejects(readImageFolder(root, { shape: [1, 2, 2] }), {
    message: `${join(root, 'dogs', 'broken.png')}: not a PNG or JPEG image (it starts with 47 49 46 38)`,
  });

  await assert.rejects(readImageFolder(join(root, 'nowhere'), { shape: [1, 2, 2] }), {
    message: `image folder ${join(root, 'nowhere')} does not exist`,
  });
  const flat = folder('flat');
  pngFile(join(flat, '1.png'), 2, 2, () => [1, 2, 3]);
  await assert.rejects(readImageFolder(flat, { shape: [1, 2, 2] }), {
    message: new RegExp(`^image folder ${escape(flat)} has no class sub-folders`),
  });

  pngFile(join(root, 'dogs', 'broken.png'), 2, 2, () => [9, 9, 9]);
  const testRoot = folder('test-set');
  mkdirSync(join(testRoot, 'cats'));
  pngFile(join(testRoot, 'cats', '1.png'), 2, 2, () => [1, 2, 3]);
  await assert.rejects(loadImageData(ImageFolderSpecSchema.parse({ kind: 'imageFolder', path: root, testPath: testRoot }), '/', [1, 2, 2]), {
    message: `image folder ${testRoot} has the classes cats but the training images have cats, dogs: both need the same class folders`,
  });
  mkdirSync(join(testRoot, 'dogs'));
  pngFile(join(testRoot, 'dogs', '2.png'), 2, 2, () => [9, 9, 9]);
  const data = await loadImageData({ kind: 'imageFolder', path: root, testPath: testRoot }, '/', [1, 2, 2]);
  assert.equal(data.train.length, 2);
  assert.equal(data.test?.length, 2);
  assert.deepEqual(data.transforms, [{ kind: 'scale' }], 'scaling to [0, 1] is the default transform');
});

test("the image shape comes from a [C, H, W] input, or from the spec's size and grayscale for a flat input", () => {
  assert.deepEqual(imageFolderShape({ kind: 'imageFolder', path: 'x' }, [3, 32, 32]), [3, 32, 32]);
  assert.deepEqual(imageFolderShape({ kind: 'imageFolder', path: 'x', size: [28, 28], grayscale: true }, [784]), [1, 28, 28]);
  assert.throws(() => imageFolderShape({ kind: 'imageFolder', path: 'x' }, [784]), { message: /give the images' size \[height, width\]/ });
  assert.throws(() => imageFolderShape({ kind: 'imageFolder', path: 'x', size: [28, 28] }, [784]), {
    message: "images of [3, 28, 28] hold 2352 values but the model's input [784] takes 784",
  });
  assert.throws(() => imageFolderShape({ kind: 'imageFolder', path: 'x', grayscale: true }, [3, 8, 8]), {
    message: /grayscale is true but the model's input \[3, 8, 8\] has 3 channel/,
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
