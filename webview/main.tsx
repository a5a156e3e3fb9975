/** Webview entry point: mounts the editor. Styles are bundled into editor.css beside this script. */
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './editor.css';
import { App } from './App';

createRoot(document.getElementById('root') as HTMLElement).render(<App />);
