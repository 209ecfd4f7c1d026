/**
 * What the app's terminal ran, line by line, for whoever listens (the lesson author's recorder):
 * the line, its exit status and output, where the shell was before it (so a recording that starts
 * inside a pod can say how it got there) and the packets it sent. The terminal publishes; nothing
 * here holds the shell.
 */
import type { TraceResult } from '../../../engine';

/** Where the shell was: the workstation, a pod (`kubectl exec -it`), a node (`ssh`). */
export type FeedPlace = { kind: 'host' } | { kind: 'pod'; namespace: string; name: string } | { kind: 'node'; node: string } | { kind: 'other' };

export interface ShellLine {
  line: string;
  status: number;
  stdout: string;
  /** The place stack before the line ran (the workstation first). */
  placesBefore: FeedPlace[];
  traces: TraceResult[];
}

type Listener = (l: ShellLine) => void;
const listeners = new Set<Listener>();

export function onShellLine(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function publishShellLine(l: ShellLine): void {
  for (const f of [...listeners]) f(l);
}

/** The shell's place stack in the feed's terms. */
export function feedPlaces(places: readonly { kind: string; namespace?: string; name?: string; node?: string }[]): FeedPlace[] {
  return places.map((p) =>
    p.kind === 'host' ? { kind: 'host' } : p.kind === 'pod' ? { kind: 'pod', namespace: p.namespace ?? 'default', name: p.name ?? '' } : p.kind === 'node' ? { kind: 'node', node: p.node ?? '' } : { kind: 'other' },
  );
}

/**
 * The lines that take a fresh workstation shell to `places` (the top of the stack), so a solution
 * recorded inside a pod replays there: `kubectl exec -it NAME -- sh`, `ssh NODE`. Null when a
 * place cannot be reached by a line (an nsenter shell).
 */
export function linesToReach(places: FeedPlace[]): string[] | null {
  const out: string[] = [];
  for (const p of places.slice(1)) {
    if (p.kind === 'pod') out.push(`kubectl exec -it ${p.namespace === 'default' ? '' : `-n ${p.namespace} `}${p.name} -- sh`);
    else if (p.kind === 'node') out.push(`ssh ${p.node}`);
    else return null;
  }
  return out;
}
