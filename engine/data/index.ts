export { TensorDataset, Subset, type Dataset } from './dataset';
export { DataLoader, type DataLoaderOptions } from './dataloader';
export { spiral, moons, quadratic, type XY } from './builtin';
export { digits, writeDigitsCsv, type DigitsOptions } from './digits';
export { parseCsv, previewCsv, type CsvData } from './csv_parse';
export type { CsvOptions } from './csv_columns';
export { readCsv, readCsvStream, readCsvRows } from './csv_file';
export { NumpyRandomState } from './numpy_random';
