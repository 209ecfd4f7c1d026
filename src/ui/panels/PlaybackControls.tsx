/**
 * Restart / back / play-pause / forward over the hops, the speed, and the position. With
 * `prefers-reduced-motion` the packet does not glide on its own: Play is replaced by stepping.
 * Keyboard (outside text fields): Space plays or pauses, ← and → step.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { useApp, useAppStoreApi } from '../StoreContext';
import { hopCount } from '../trace/playback';

/** Time per hop at speed 1. */
const STEP_MS = 750;
const SPEEDS = [0.5, 1, 2, 4];

const REDUCED = '(prefers-reduced-motion: reduce)';
function subscribeMotion(cb: () => void) {
  const mq = window.matchMedia(REDUCED);
  mq.addEventListener('change', cb);
  return () => mq.removeEventListener('change', cb);
}
export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribeMotion, () => window.matchMedia(REDUCED).matches, () => false);
}

export function PlaybackControls() {
  const store = useAppStoreApi();
  const playing = useApp((s) => s.playing);
  const cursor = useApp((s) => s.cursor);
  const speed = useApp((s) => s.speed);
  const count = useApp((s) => hopCount(s.trace));
  const reduced = useReducedMotion();
  const { play, pause, step, restart, setSpeed } = store.getState();

  // The clock of playback lives here, in the view: the store only knows the cursor.
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => store.getState().step(1), STEP_MS / store.getState().speed);
    return () => clearInterval(timer);
  }, [playing, speed, store]);
  useEffect(() => {
    if (reduced && playing) pause();
  }, [reduced, playing, pause]);

  return (
    <div className="playback" role="group" aria-label="Playback">
      <button type="button" className="button" onClick={restart} disabled={count === 0} aria-label="Restart from the first hop" title="Restart" data-testid="restart">
        <Icon d="M4 5v14M20 5 9 12l11 7z" />
      </button>
      <button type="button" className="button" onClick={() => step(-1)} disabled={cursor <= 0} aria-label="Previous hop (←)" title="Previous hop (←)" data-testid="step-back">
        <Icon d="M6 5v14M18 5 8 12l10 7z" />
      </button>
      {reduced ? null : playing ? (
        <button type="button" className="button" onClick={pause} aria-label="Pause (Space)" title="Pause (Space)" data-testid="pause">
          <Icon d="M8 5v14M16 5v14" /> Pause
        </button>
      ) : (
        <button type="button" className="button" onClick={play} aria-label="Play (Space)" title="Play (Space)" data-testid="play">
          <Icon d="M7 5l12 7-12 7z" fill /> Play
        </button>
      )}
      <button type="button" className="button" onClick={() => step(1)} disabled={cursor >= count - 1} aria-label="Next hop (→)" title="Next hop (→)" data-testid="step">
        <Icon d="M18 5v14M6 5l10 7-10 7z" />
      </button>
      {!reduced && (
        <label className="playback__speed">
          <span className="sr-only">Speed</span>
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} aria-label="Playback speed" data-testid="speed">
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
      )}
      <span className="playback__pos muted" aria-live="polite">
        hop {cursor + 1} / {count}
      </span>
    </div>
  );
}

/** Small stroke icons (system fonts lack the media-control glyphs on some platforms). */
function Icon({ d, fill = false }: { d: string; fill?: boolean }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="14" height="14" aria-hidden fill={fill ? 'currentColor' : 'none'} stroke="currentColor" strokeWidth={2.2} strokeLinejoin="round" strokeLinecap="round">
      <path d={d} />
    </svg>
  );
}
