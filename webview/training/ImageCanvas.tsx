/**
 * One image of the data (a sample, a misclassified test image, a picked file) drawn on a canvas from the
 * bytes the host sent: [C, H, W] pixels as base64, turned into RGBA with the engine's own toRgba. The
 * canvas keeps the image's pixel size and CSS scales it up without smoothing, so 28x28 stays crisp.
 */
import { useEffect, useRef } from 'react';
import { toRgba } from '../../engine/data/image_preview';
import type { ImageMessage } from '../../protocol/training';

export function decodePixels(base64: string): Uint8Array {
  const s = atob(base64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function ImageCanvas({ image, size = 56, testId, title }: { image: ImageMessage; size?: number; testId?: string; title?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    // toRgba allocates its own ArrayBuffer (never a shared one), as ImageData requires.
    const rgba = toRgba(decodePixels(image.pixels), [image.channels, image.height, image.width]);
    ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, image.width, image.height), 0, 0);
  }, [image]);
  const scale = size / Math.max(image.width, image.height);
  return (
    <canvas
      ref={ref}
      className="nnb-image"
      width={image.width}
      height={image.height}
      style={{ width: image.width * scale, height: image.height * scale }}
      data-testid={testId}
      title={title}
    />
  );
}
