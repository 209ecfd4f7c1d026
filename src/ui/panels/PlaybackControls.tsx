/** Play / pause / step over the hops, and the current position. */
import { useEffect } from 'react';
import { useApp, useAppStoreApi } from '../StoreContext';
import { hopCount } from '../trace/playback';

/** Time per hop while playing. */
const STEP_MS = 750;

export function PlaybackControls() {
  const store = useAppStoreApi();
  const playing = useApp((s) => s.playing);
  const cursor = useApp((s) => s.cursor);
  const count = useApp((s) => hopCount(s.trace));
  const { play, pause, step } = store.getState();

  // The clock of playback lives here, in the view: the store only knows the cursor.
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => store.getState().step(1), STEP_MS);
    return () => clearInterval(timer);
  }, [playing, store]);

  return (
    <div className="playback" role="group" aria-label="Playback">
      <button type="button" className="button" onClick={() => step(-1)} disabled={cursor <= 0} aria-label="Previous hop" title="Previous hop">
        <Icon d="M6 5v14M18 5 8 12l10 7z" />
      </button>
      {playing ? (
        <button type="button" className="button" onClick={pause} aria-label="Pause" title="Pause" data-testid="pause">
          <Icon d="M8 5v14M16 5v14" /> Pause
        </button>
      ) : (
        <button type="button" className="button" onClick={play} aria-label="Play" title="Play" data-testid="play">
          <Icon d="M7 5l12 7-12 7z" fill /> Play
        </button>
      )}
      <button type="button" className="button" onClick={() => step(1)} disabled={cursor >= count - 1} aria-label="Next hop" title="Next hop" data-testid="step">
        <Icon d="M18 5v14M6 5l10 7-10 7z" />
      </button>
      <span className="playback__pos muted">
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
