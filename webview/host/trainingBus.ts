/**
 * Training messages from the host ('training/*', protocol/training.ts) for the training panel, which
 * subscribes while it is mounted (switching the side tab unmounts it; the bus stays).
 */
import type { HostToPanel } from '../../protocol/training';

type Listener = (m: HostToPanel) => void;
const listeners = new Set<Listener>();

export const trainingBus = {
  /** Hands a message whose type starts with 'training/' to every listener (the host builds these: typed, not parsed). */
  publish(m: unknown): void {
    for (const l of listeners) l(m as HostToPanel);
  },
  subscribe(l: Listener): () => void {
    listeners.add(l);
    return () => void listeners.delete(l);
  },
};
