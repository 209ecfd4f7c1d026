/**
 * Records what the author does next into the active step's reference solution, from the app
 * store's logs (the same records lesson checks read): each shell line the terminal ran
 * (`commandLog`; its pings and curls replay with it) and each trace run from the Trace panel (a
 * `traceLog` entry that came without a shell line). Not the author's actions: the re-trace a
 * change of cluster makes, and logs replaced wholesale (a lesson opening a step's context).
 */
import { LOG_LIMIT, type AppStore, type CommandRecord } from '../../store';
import type { AuthorStore } from './authorStore';

/** The one entry appended to `now` since `prev` (the app store's append, the log may have dropped its oldest), or undefined. */
function appended<T>(prev: readonly T[], now: readonly T[]): T | undefined {
  if (now === prev || now.length === 0) return undefined;
  const grewByOne = now.length === prev.length + 1 || (now.length === prev.length && now.length === LOG_LIMIT);
  if (!grewByOne || (prev.length > 0 && now[now.length - 2] !== prev[prev.length - 1])) return undefined;
  return now[now.length - 1];
}

export function startRecorder(app: AppStore, author: AuthorStore): () => void {
  // A change of cluster re-traces FROM → TO in the same synchronous update (store.ts retrace).
  let retracing = false;
  return app.subscribe((s, prev) => {
    if (s.cluster !== prev.cluster) {
      retracing = true;
      queueMicrotask(() => (retracing = false));
    }
    const line: CommandRecord | undefined = appended(prev.commandLog, s.commandLog);
    if (line) {
      author.getState().recordLine(line);
      return;
    }
    const req = appended(prev.traceLog, s.traceLog);
    if (req && !retracing) author.getState().recordTrace(req);
  });
}
