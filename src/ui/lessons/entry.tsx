/**
 * What the first paint holds of lessons — only this: the Lessons button, the lazily loaded Lesson
 * tab, opening a lesson link (`#lesson=…`) or the lesson open before a reload, and telling a
 * dropped lesson file from a scenario. Everything else is the lessons chunk (chunk.tsx).
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import type { AppStore } from '../store';
import { useAppStoreApi } from '../StoreContext';
import { isLessonHash } from './lessonLink';
import { ACTIVE_KEY } from './activeKey';

const load = () => import('./chunk');
const LessonList = lazy(() => load().then((m) => ({ default: m.LessonList })));
/** The sidebar's Lesson tab (the panel of the open lesson). */
export const LessonTab = lazy(() => load().then((m) => ({ default: m.LessonTab })));

function activeSaved(): boolean {
  try {
    return window.localStorage.getItem(ACTIVE_KEY) !== null;
  } catch {
    return false;
  }
}

/** The top bar's Lessons button and its list; on mount it opens a lesson link or resumes the open lesson. */
export function LessonsButton() {
  const app = useAppStoreApi();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const fromHash = () => {
      if (isLessonHash(window.location.hash)) void load().then((m) => m.openLessonFromHash(app));
    };
    if (isLessonHash(window.location.hash)) fromHash();
    else if (activeSaved()) void load().then((m) => m.lessonsFor(app).resume());
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, [app]);
  return (
    <>
      <button type="button" className="button" aria-haspopup="dialog" onClick={() => setOpen(true)} data-testid="lessons-button" title="Lessons: guided steps with checks, predictions and questions">
        Lessons
      </button>
      {open && (
        <Suspense fallback={null}>
          <LessonList onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}

/** A dropped file that is a lesson (`kind: Lesson`) opens as one; false when it is not a lesson (a scenario). */
export async function openDroppedLesson(app: AppStore, file: File): Promise<boolean> {
  if (!/\.ya?ml$/i.test(file.name) || file.size > 4_000_000) return false;
  let text: string;
  try {
    text = await file.text();
  } catch {
    return false;
  }
  if (!/^kind:\s*["']?Lesson["']?\s*$/m.test(text)) return false;
  const m = await load();
  await m.lessonsFor(app).openText(text, { kind: 'file', name: file.name, text });
  return true;
}
