/** Callbacks the canvas's node components need, provided once through context so node data stays plain. */
import { createContext, useContext } from 'react';

export interface CanvasActions {
  toggleCollapse(id: string): void;
  openBlock(name: string): void;
  hoverTie(group: string | null): void;
}

export const CanvasActionsContext = createContext<CanvasActions>({ toggleCollapse() {}, openBlock() {}, hoverTie() {} });
export const useCanvasActions = () => useContext(CanvasActionsContext);
