/**
 * The lessons chunk: fetched when the learner opens the lesson list, a lesson link, a dropped
 * lesson file, or (after a reload) the lesson that was open — never on the first paint. It binds
 * the engine's lesson API to a lesson store per app store and holds the panel and the list.
 */
import { getPrefs, setPrefs } from '../canvas/viewPrefs';
import { useAppStoreApi } from '../StoreContext';
import { loadCluster } from '../../engine/load';
import { formatScenarioError } from '../../engine/model/source';
import { editingFor } from '../editing';
import { AUTOSAVE_KEY, keepAside, SET_ASIDE_PREFIX } from '../state/autosave';
import { storage } from '../state/boot';
import { MAX_SCENARIO_CHARS, tooLarge } from '../state/limits';
import { decodeShare, encodeShare } from '../state/shareLink';
import type { AppStore } from '../store';
import { builtinText, loadCatalog, type Catalog } from './catalog';
import { lessonEngine } from './lessonEngine';
import { isLessonUrl, lessonHash, parseLessonHash, type LessonLink } from './lessonLink';
import { createLessonStore, type LessonStore, type OpenOptions } from './lessonStore';
import { LessonPanel } from './LessonPanel';
import type { LessonSource } from './progress';
import { readActive } from './progress';
import { submissionText } from './submission';

export { LessonList } from './LessonList';

export interface Lessons {
  store: LessonStore;
  catalog(): Promise<Catalog>;
  /** Open a lesson by built-in id or URL. */
  openRef(ref: string, options?: OpenOptions): Promise<boolean>;
  /** Open a lesson file's text. */
  openText(text: string, source: LessonSource, options?: OpenOptions): Promise<boolean>;
  /** Open the lesson link in a hash (`#lesson=…`). */
  openLink(link: LessonLink): Promise<boolean>;
  /** Reopen the lesson that was open before the reload, on the autosaved cluster. */
  resume(): Promise<boolean>;
  /** A link to the open lesson at its step, with the cluster; null when the lesson came from a dropped file. */
  link(): Promise<string | null>;
  /** The open activity's submission file (docs/lessons.md). */
  submission(): { name: string; text: string } | null;
}

const made = new WeakMap<AppStore, Lessons>();

export function lessonsFor(app: AppStore): Lessons {
  let l = made.get(app);
  if (!l) {
    l = bind(app);
    made.set(app, l);
  }
  return l;
}

function bind(app: AppStore): Lessons {
  const store = createLessonStore(app, lessonEngine, storage());
  const say = (text: string) => app.getState().notify({ kind: 'error', text });

  async function openText(text: string, source: LessonSource, options: OpenOptions = {}): Promise<boolean> {
    const file = source.kind === 'builtin' ? `src/lessons/${source.id}.yaml` : source.kind === 'url' ? source.url : source.name;
    const big = tooLarge(`The lesson ${file}`, text.length, MAX_SCENARIO_CHARS);
    if (big) {
      say(big);
      return false;
    }
    const parsed = lessonEngine.parseLesson(text, file);
    if (!parsed.ok) {
      say(`The lesson did not open; your work is unchanged.\n${parsed.errors.slice(0, 5).map(formatScenarioError).join('\n')}`);
      return false;
    }
    try {
      await editingFor(app);
    } catch {
      return false; // editingFor said why
    }
    const aside = options.cluster === 'keep' ? null : keepWorkAside();
    const opened = store.getState().openLesson(parsed.value, source, options);
    const why = store.getState().error;
    if (!opened && why) say(why);
    if (opened && aside) app.getState().notify({ kind: 'info', text: `Opened the lesson “${parsed.value.meta.title}”. Undo (Ctrl+Z) brings back your work; it is also kept in this browser (“Kept” in the top bar).` });
    // On a projector the side panel starts closed; a lesson needs it.
    if ((opened || store.getState().askLearner) && getPrefs().presentation && !getPrefs().presentSidebar) setPrefs({ presentSidebar: true });
    return opened || store.getState().askLearner !== null;
  }

  async function openRef(ref: string, options: OpenOptions = {}): Promise<boolean> {
    if (isLessonUrl(ref)) {
      let text: string;
      try {
        const res = await fetch(ref);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        text = await res.text();
      } catch (e) {
        say(`The lesson at ${ref} could not be fetched (${e instanceof Error ? e.message : String(e)}); your work is unchanged.`);
        return false;
      }
      return openText(text, { kind: 'url', url: ref }, options);
    }
    const text = await builtinText(ref);
    if (text === null) {
      say(`There is no built-in lesson "${ref}"; Lessons in the top bar lists them.`);
      return false;
    }
    return openText(text, { kind: 'builtin', id: ref }, options);
  }

  return {
    store,
    catalog: () => loadCatalog(lessonEngine),
    openRef,
    openText,
    async openLink(link) {
      let cluster: OpenOptions['cluster'];
      if (link.share) {
        const decoded = await decodeShare(link.share);
        if (!decoded.ok) {
          say(decoded.message);
          return false;
        }
        try {
          await editingFor(app);
        } catch {
          return false;
        }
        const loaded = loadCluster([{ name: 'the lesson link', text: decoded.payload.yaml }]);
        if (!loaded.ok) {
          say(`The cluster in this lesson link did not load; your work is unchanged.\n${loaded.errors.slice(0, 5).map(formatScenarioError).join('\n')}`);
          return false;
        }
        cluster = loaded.value;
      }
      return openRef(link.lesson, { ...(link.step !== undefined ? { step: link.step } : {}), ...(link.seed ? { seed: link.seed } : {}), ...(cluster ? { cluster } : {}) });
    },
    async resume() {
      const s = storage();
      const active = s ? readActive(s) : null;
      if (!active) return false;
      const src = active.source;
      if (src.kind === 'file') return openText(src.text, src, { cluster: 'keep' });
      return openRef(src.kind === 'builtin' ? src.id : src.url, { cluster: 'keep' });
    },
    async link() {
      const { open, progress } = store.getState();
      if (!open || !progress || open.source.kind === 'file') return null;
      const share = await encodeShare({ yaml: app.getState().appliedText });
      const hash = lessonHash({ lesson: open.source.kind === 'builtin' ? open.source.id : open.source.url, step: progress.step, ...(progress.seed ? { seed: progress.seed } : {}), share });
      return `${window.location.origin}${window.location.pathname}${window.location.search}#${hash}`;
    },
    submission() {
      const { open, progress, learner } = store.getState();
      const a = app.getState();
      if (!open || !progress || !a.cluster) return null;
      const answers = Object.fromEntries(Object.entries(progress.answers).map(([id, x]) => [id, x.answer]));
      const text = submissionText({ lesson: open.doc.meta.id, seed: progress.seed, learner: learner?.name ?? '', scenario: a.appliedText, traces: a.traceLog, commands: a.commandLog, answers });
      const who = (learner?.name || progress.seed || 'learner').replace(/[^A-Za-z0-9_-]+/g, '-');
      return { name: `${open.doc.meta.id}-${who}.submission.yaml`, text };
    },
  };
}

/**
 * The saved work a lesson's cluster is about to replace, kept under a key of its own (“Kept” in
 * the top bar lists it), as a share link does: Undo does not survive closing the tab. Not when the
 * work is already a lesson's. The key, or null.
 */
function keepWorkAside(): string | null {
  const s = storage();
  if (!s || readActive(s)) return null;
  let raw: string | null;
  try {
    raw = s.getItem(AUTOSAVE_KEY);
  } catch {
    return null;
  }
  return raw === null ? null : keepAside(s, raw, new Date().toISOString(), SET_ASIDE_PREFIX);
}

/** The Lesson tab's content. */
export function LessonTab() {
  const app = useAppStoreApi();
  const l = lessonsFor(app);
  const onExport = () => {
    const sub = l.submission();
    if (!sub) return;
    const url = URL.createObjectURL(new Blob([sub.text], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = sub.name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    app.getState().notify({ kind: 'info', text: `Saved ${sub.name}: hand this file in. Your instructor grades it with podpath lesson grade.` });
  };
  const onCopyLink = () => {
    void l.link().then(async (url) => {
      if (!url) {
        app.getState().notify({ kind: 'info', text: 'A lesson opened from a file has no link: share the file, or put it on the web and open it by URL.' });
        return;
      }
      try {
        await navigator.clipboard.writeText(url);
        app.getState().notify({ kind: 'info', text: 'Link to this step (with the cluster as it is now) copied to the clipboard.' });
      } catch {
        app.getState().notify({ kind: 'info', text: `Link to this step: ${url}` });
      }
    });
  };
  return <LessonPanel lessons={l.store} onExport={onExport} onCopyLink={onCopyLink} />;
}

/** The lesson link in the page's hash, if any: opened, then the hash cleared (a reload then resumes the lesson). */
export async function openLessonFromHash(app: AppStore): Promise<boolean> {
  const link = parseLessonHash(window.location.hash);
  if (!link) return false;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return lessonsFor(app).openLink(link);
}
