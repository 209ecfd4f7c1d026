/**
 * What the canvas shares with its node components, split by how often it changes so a drag
 * over the canvas re-renders the node boxes only, and an IP flash the pods only.
 */
import { createContext, useContext } from 'react';

export interface CanvasActions {
  /** Select a pod (`ns/name`) or node (`node/NAME`) in the app store. */
  select(id: string): void;
  /** Open the keyboard "move pod to node" chooser for a pod key. */
  startMove(podKey: string): void;
  removeNode(name: string): void;
}

const noop = () => {};
export const ActionsContext = createContext<CanvasActions>({ select: noop, startMove: noop, removeNode: noop });
export const useCanvasActions = () => useContext(ActionsContext);

/** The node box a drag is over (flow id), for its drop highlight. */
export const DropTargetContext = createContext<string | null>(null);

/** A pod whose IP just changed: `10.244.1.5 → 10.244.2.4`, keyed by flow id; `from` empty for a new pod. */
export interface IpFlash {
  from: string;
  to: string;
}
export const FlashContext = createContext<ReadonlyMap<string, IpFlash>>(new Map());

/** The MIME type a dragged pod or palette item carries. */
export const DRAG_MIME = 'application/x-podpath';

export type DragPayload = { kind: 'palette'; item: string } | { kind: 'pod'; key: string };
