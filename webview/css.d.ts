// esbuild bundles imported CSS into a stylesheet beside the script; TypeScript only needs to know the import is fine.
declare module '*.css';
