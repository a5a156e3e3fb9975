/**
 * CSV files saved as UTF-16 (Excel's "Unicode Text", PowerShell's default redirect): read as UTF-8 they
 * are a NUL between every letter, so column names come out as garbage. Browser-safe: the bytes (or text
 * already decoded as UTF-8) are looked at here; the readers decide to decode or to refuse.
 */

export type Utf16 = 'utf-16le' | 'utf-16be';

/** UTF-16 by its byte-order mark, or by NUL bytes on the odd (LE) or even (BE) positions of ASCII text. */
export function utf16Encoding(bytes: Uint8Array): Utf16 | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const n = Math.min(bytes.length, 256) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero >= pairs * 0.9 && evenZero === 0) return 'utf-16le';
  if (evenZero >= pairs * 0.9 && oddZero === 0) return 'utf-16be';
  return null;
}

/** The refusal for text that was UTF-16 before it was decoded as UTF-8 (its BOM became two U+FFFD, or NULs fill it), or null. */
export function utf16TextProblem(text: string, fileName: string): string | null {
  const head = text.slice(0, 256);
  // eslint-disable-next-line no-control-regex -- finding control characters is what this expression is for
  const nuls = (head.match(/\u0000/g) ?? []).length;
  if (head.startsWith('\ufffd\ufffd') || (head.length >= 4 && nuls >= head.length / 3)) {
    return `${fileName}: the file is UTF-16 text (a NUL byte between the letters), not UTF-8: save it as UTF-8 CSV (in Excel: "CSV UTF-8"; in PowerShell: Out-File -Encoding utf8)`;
  }
  return null;
}
