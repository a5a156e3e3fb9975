/**
 * Parts of the editor loaded on first use rather than at start: Auto Layout's elkjs is 1.4 MB of the
 * 2.2 MB the page would otherwise parse before it can draw anything (README, "Showing the editor").
 * Each part is its own script beside editor.js (scripts/build-bundles.mjs), added to the page with this
 * page's nonce, so the Content-Security-Policy stays nonce-only; it registers itself on `window`.
 */
import type { autoLayout } from '../graph/autoLayout';

/** What each part's script registers, by script name (dist/webview/<name>.js). */
export interface Parts {
  layout: { autoLayout: typeof autoLayout };
}

declare global {
  interface Window {
    __nnbParts?: Partial<Parts>;
  }
}

// Read while editor.js runs: afterwards document.currentScript is null.
const self = document.currentScript as HTMLScriptElement | null;
const loading = new Map<keyof Parts, Promise<unknown>>();

export function loadPart<K extends keyof Parts>(name: K): Promise<Parts[K]> {
  const known = window.__nnbParts?.[name];
  if (known !== undefined) return Promise.resolve(known as Parts[K]);
  let p = loading.get(name);
  if (p === undefined) {
    p = new Promise<Parts[K]>((resolve, reject) => {
      if (self === null) return reject(new Error(`cannot load ${name}.js: the editor script's address is unknown`));
      const script = document.createElement('script');
      script.nonce = self.nonce;
      script.src = new URL(`${name}.js`, self.src).href;
      script.onload = () => {
        const part = window.__nnbParts?.[name];
        if (part === undefined) reject(new Error(`${name}.js loaded but did not register itself`));
        else resolve(part as Parts[K]);
      };
      script.onerror = () => reject(new Error(`${name}.js could not be loaded (${script.src})`));
      document.head.appendChild(script);
    });
    // A failed load may be retried (the next Auto Layout asks again).
    p.catch(() => loading.delete(name));
    loading.set(name, p);
  }
  return p as Promise<Parts[K]>;
}
