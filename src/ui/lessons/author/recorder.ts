/**
 * Records what the author does next into the active step's reference solution: each line typed in
 * the terminal (the shell feed; its pings and curls replay with it) and each trace run from the
 * Trace panel (the request, from the form). A trace the terminal showed, a DNS packet of the same
 * lookup picked for a closer look, and the automatic re-trace after an edit are not new actions.
 */
import type { TraceRequest, TraceResult } from '../../../engine';
import type { AppStore } from '../../store';
import type { AuthorStore } from './authorStore';
import { onShellLine } from './shellFeed';

export function startRecorder(app: AppStore, author: AuthorStore): () => void {
  const fromTerminal = new WeakSet<TraceResult>();
  const offShell = onShellLine((l) => {
    for (const t of l.traces) fromTerminal.add(t);
    author.getState().recordLine(l);
  });
  // A change of cluster re-traces FROM → TO in the same synchronous update (store.ts retrace):
  // not the author's action.
  let retracing = false;
  const offApp = app.subscribe((s, prev) => {
    if (s.cluster !== prev.cluster) {
      retracing = true;
      queueMicrotask(() => (retracing = false));
    }
    if (!s.trace || s.trace === prev.trace || fromTerminal.has(s.trace) || retracing) return;
    if (s.lookup && prev.lookup && s.lookup.command === prev.lookup.command && s.lookup.packets.length === prev.lookup.packets.length && prev.trace && s.lookup.packets.includes(prev.trace)) return;
    const req: TraceRequest = { from: s.from, to: s.to, proto: s.proto, ...(s.proto !== 'icmp' ? { port: s.port } : {}) };
    author.getState().recordTrace(req);
  });
  return () => {
    offShell();
    offApp();
  };
}
