/**
 * The built-in lessons (src/lessons/*.yaml): each file is a chunk of its own, fetched when the
 * lesson list opens (the first-load bundle holds none of them). A lesson's id is its file name.
 */
import type { LessonDoc, LessonEngine } from './engineApi';

const files = import.meta.glob('../../lessons/*.yaml', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

const idOf = (path: string) => path.replace(/^.*\//, '').replace(/\.yaml$/, '');

export function builtinIds(): string[] {
  return Object.keys(files).map(idOf).sort();
}

/** The text of a built-in lesson, or null when there is no such lesson. */
export async function builtinText(id: string): Promise<string | null> {
  const path = Object.keys(files).find((p) => idOf(p) === id);
  return path ? files[path]() : null;
}

export interface Catalog {
  /** The lessons, in course order (metadata.order, then id). */
  lessons: LessonDoc[];
  /** Files that did not parse (file: the engine's error). */
  errors: string[];
}

export async function loadCatalog(engine: Pick<LessonEngine, 'parseLesson'>): Promise<Catalog> {
  const ids = builtinIds();
  const texts = await Promise.all(ids.map((id) => builtinText(id)));
  const lessons: LessonDoc[] = [];
  const errors: string[] = [];
  ids.forEach((id, i) => {
    const r = engine.parseLesson(texts[i] ?? '', `src/lessons/${id}.yaml`);
    if (r.ok) lessons.push(r.value);
    else errors.push(`${id}.yaml: ${r.errors[0]?.message ?? 'does not parse'}`);
  });
  lessons.sort((a, b) => (a.meta.order ?? 999) - (b.meta.order ?? 999) || (a.meta.id < b.meta.id ? -1 : 1));
  return { lessons, errors };
}
