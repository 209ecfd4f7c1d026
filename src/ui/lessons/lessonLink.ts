/**
 * Lesson links: `#lesson=ID` opens a built-in lesson, `#lesson=https://…/x.yaml` a lesson file
 * on the web; `&step=N` (1-based, as the panel numbers steps) opens it at that step, `&seed=S`
 * with that learner variant, and `&share=…` (a share link's payload, state/shareLink.ts) with
 * that cluster — the link a class opens to see exactly what is on the projector.
 */
export interface LessonLink {
  /** A built-in lesson id or a URL. */
  lesson: string;
  /** 0-based step index. */
  step?: number;
  seed?: string;
  /** The share payload (`share=…` without the key), when the link carries the cluster. */
  share?: string;
}

const PREFIX = 'lesson=';

export function isLessonHash(hash: string): boolean {
  return hash.replace(/^#/, '').startsWith(PREFIX);
}

/** The link in a hash, or null when it is not a lesson link (or names no lesson). */
export function parseLessonHash(hash: string): LessonLink | null {
  const body = hash.replace(/^#/, '');
  if (!body.startsWith(PREFIX)) return null;
  const params = new URLSearchParams(body);
  const lesson = params.get('lesson')?.trim();
  if (!lesson) return null;
  const link: LessonLink = { lesson };
  const step = Number(params.get('step'));
  if (Number.isInteger(step) && step >= 1) link.step = step - 1;
  const seed = params.get('seed');
  if (seed) link.seed = seed;
  const share = params.get('share');
  if (share) link.share = `share=${share}`;
  return link;
}

/** The hash (without `#`) of a link. */
export function lessonHash(link: LessonLink): string {
  const params = new URLSearchParams();
  params.set('lesson', link.lesson);
  if (link.step !== undefined) params.set('step', String(link.step + 1));
  if (link.seed) params.set('seed', link.seed);
  if (link.share) params.set('share', link.share.replace(/^#?share=/, ''));
  return params.toString();
}

/** Whether a lesson reference is a URL to fetch (else a built-in id). */
export function isLessonUrl(ref: string): boolean {
  return /^(https?:)?\/\//i.test(ref) || /\.ya?ml$/i.test(ref);
}
