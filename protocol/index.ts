// The messages between the extension host and the webview, and the edit operations they carry: schemas
// defined once, imported by both sides (extension -> protocol <- webview).
export * from './edits';
export * from './editor';
export * from './messages';
export * from './training';
export * from './ui_state';
