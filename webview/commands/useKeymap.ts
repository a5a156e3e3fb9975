/**
 * The canvas's keyboard shortcuts, from the command table (table.ts). Keys typed into a text field, a
 * select or the block-name prompt are theirs, not the canvas's.
 */
import { useEffect, useRef } from 'react';
import { commandForKey, type CommandEnv } from './table';

const TEXT_INPUTS = 'input, textarea, select, vscode-textfield, vscode-single-select, .nnb-prompt';

/** `env()` builds the commands' environment at the moment of the key press (the selection then). */
export function useKeymap(env: () => CommandEnv | null): void {
  const current = useRef(env);
  current.current = env;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest?.(TEXT_INPUTS)) return;
      const now = current.current();
      if (now === null) return;
      const command = commandForKey(e, now);
      if (command?.run === undefined) return;
      command.run(now);
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
