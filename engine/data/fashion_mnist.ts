/**
 * Fashion-MNIST (Zalando's 28x28 grayscale clothing images, 60,000 train and 10,000 test, 10 classes)
 * where Debian's `dataset-fashion-mnist` package installs it, or any folder holding the four files under
 * their published names (gzipped or not).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { IdxPairFiles } from './idx_file';

/** Where `apt-get install dataset-fashion-mnist` puts the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MNIST_PACKAGE = 'dataset-fashion-mnist';

/** The label names, by label, from the dataset's README. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

const STEMS = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/**
 * The train and test files in `dir` (each `<stem>.gz` or `<stem>`); when one is missing, an error naming
 * the folder, the file, the Debian package and how to point elsewhere.
 */
export function fashionMnistFiles(dir: string = FASHION_MNIST_DIR): { train: IdxPairFiles; test: IdxPairFiles } {
  const find = (stem: string): string => {
    for (const name of [`${stem}.gz`, stem]) {
      const file = path.join(dir, name);
      if (existsSync(file)) return file;
    }
    const fix =
      path.resolve(dir) === FASHION_MNIST_DIR
        ? `install it with \`sudo apt-get install ${FASHION_MNIST_PACKAGE}\` (Debian/Ubuntu), or download the four files from https://github.com/zalandoresearch/fashion-mnist and give their folder as "dir" in the training data section`
        : `put the four files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) there, or remove "dir" to use the Debian package ${FASHION_MNIST_PACKAGE} in ${FASHION_MNIST_DIR}`;
    throw new Error(`Fashion-MNIST is not in ${dir}: ${path.join(dir, stem)}.gz is missing; ${fix}`);
  };
  const pair = (p: { images: string; labels: string }): IdxPairFiles => ({
    images: find(p.images),
    labels: find(p.labels),
    classNames: FASHION_MNIST_CLASSES,
  });
  return { train: pair(STEMS.train), test: pair(STEMS.test) };
}
