// Entry of dist/webview/layout.js, loaded on the first Auto Layout (parts.ts): elkjs and the layout over it.
import { autoLayout } from '../graph/autoLayout';

window.__nnbParts = { ...window.__nnbParts, layout: { autoLayout } };
