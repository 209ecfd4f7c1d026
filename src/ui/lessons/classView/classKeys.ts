/**
 * What the presenter's clicker does in the class view (PageDown/PageUp, or ↓ ↑): one pure
 * decision over the lesson's prediction and the packet's place, so a room is run with two keys.
 *
 * PageDown: a step with a prediction not yet asked → ask it (the packet plays to the hop before
 * the one in question); while the packet is on its way → jump it there; while the class is asked
 * → reveal; otherwise the next hop, and after the last hop the next lesson step.
 * PageUp: the previous hop, and before the first hop the previous lesson step; it does not undo
 * a question.
 */
import type { PredictPhase } from '../lessonStore';

export type ClassAction = 'ask' | 'jump' | 'reveal' | 'hop' | 'next-step' | 'prev-step' | 'none';

export interface ClassKeyState {
  /** The current step asks a prediction. */
  stepPredicts: boolean;
  /** The prediction's phase for the current step; null when it has not been asked. */
  phase: PredictPhase | null;
  /** Hops of the trace shown, and the playback cursor. */
  hops: number;
  cursor: number;
}

export function classKeyAction(s: ClassKeyState, forward: boolean): ClassAction {
  if (forward) {
    if (s.phase === 'playing') return 'jump';
    if (s.phase === 'asking') return 'reveal';
    if (s.stepPredicts && s.phase === null) return 'ask';
    if (s.hops > 0 && s.cursor < s.hops - 1) return 'hop';
    return 'next-step';
  }
  if (s.phase === 'playing' || s.phase === 'asking') return 'none';
  if (s.hops > 0 && s.cursor > 0) return 'hop';
  return 'prev-step';
}
