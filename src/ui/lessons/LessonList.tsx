/**
 * The lesson list (a modal dialog from Lessons in the top bar): the built-in lessons in course
 * order with the learner's progress, a lesson file from disk, or a lesson by URL. Esc closes it.
 */
import { useEffect, useRef, useState } from 'react';
import { useAppStoreApi } from '../StoreContext';
import { storage } from '../state/boot';
import type { Catalog } from './catalog';
import { lessonsFor } from './chunk';
import { readProgress } from './progress';
import './lessons.css';

export function LessonList({ onClose }: { onClose: () => void }) {
  const app = useAppStoreApi();
  const lessons = lessonsFor(app);
  const ref = useRef<HTMLDialogElement>(null);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [url, setUrl] = useState('');
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal?.();
    let live = true;
    void lessons.catalog().then((c) => live && setCatalog(c));
    return () => {
      live = false;
    };
  }, [lessons]);
  // The keyboard starts on the first lesson once the list is there.
  useEffect(() => {
    if (catalog) ref.current?.querySelector<HTMLButtonElement>('.lesson-list__item')?.focus();
  }, [catalog]);
  const open = (run: () => Promise<boolean>) => {
    onClose();
    void run();
  };
  const s = storage();
  return (
    <dialog ref={ref} className="lesson-dialog" aria-labelledby="lesson-list-title" onClose={onClose} onCancel={onClose} data-testid="lesson-list">
      <h2 id="lesson-list-title">Lessons</h2>
      {!catalog ? (
        <p className="muted">Loading the lessons…</p>
      ) : (
        <ul className="lesson-list">
          {catalog.lessons.map((l) => {
            const p = s ? readProgress(s, l.meta.id) : null;
            const steps = l.spec.steps.length;
            return (
              <li key={l.meta.id}>
                <button type="button" className="lesson-list__item" onClick={() => open(() => lessons.openRef(l.meta.id))} data-testid={`lesson-item-${l.meta.id}`}>
                  <span className="lesson-list__title">
                    {l.meta.order !== undefined ? `${l.meta.order}. ` : ''}
                    {l.meta.title}
                  </span>
                  {l.meta.summary && <span className="muted">{l.meta.summary}</span>}
                  <span className="lesson-list__meta">
                    {steps} steps{l.spec.activity ? ' · graded activity' : ''}
                    {p ? ` · in progress: step ${p.step + 1}, ${p.passed.length} done` : ''}
                  </span>
                </button>
              </li>
            );
          })}
          {catalog.errors.map((e) => (
            <li key={e} className="lesson__error">
              {e}
            </li>
          ))}
        </ul>
      )}
      <form
        className="lesson-dialog__row"
        onSubmit={(e) => {
          e.preventDefault();
          if (url.trim()) open(() => lessons.openRef(url.trim()));
        }}
      >
        <input className="input" style={{ flex: 1 }} placeholder="https://…/lesson.yaml" aria-label="A lesson file's URL" value={url} onChange={(e) => setUrl(e.target.value)} />
        <button type="submit" className="button" disabled={!url.trim()}>
          Open URL
        </button>
      </form>
      <div className="lesson-dialog__row">
        <label className="button">
          Open a lesson file…
          <input
            type="file"
            accept=".yaml,.yml"
            className="sr-only"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) open(async () => lessons.openText(await f.text(), { kind: 'file', name: f.name, text: await f.text() }));
            }}
          />
        </label>
        <button type="button" className="button" onClick={onClose} data-testid="lesson-list-close">
          Close
        </button>
      </div>
    </dialog>
  );
}
