/**
 * Starting the app in a browser: restore the autosaved work (or start on the demo), open a
 * share link from the URL hash, keep autosaving, and register the offline service worker in
 * production builds. Everything read from outside goes through the size caps and the engine's
 * loader; a failure is a notice and leaves the work as it was.
 */
import { editingFor } from '../editing';
import type { AppStore, Notice } from '../store';
import { AUTOSAVE_KEY, BEFORE_SHARE_PREFIX, encodeState, keepAside, readSaved, restoreState, saveState, SET_ASIDE_PREFIX, type SavedState } from './autosave';
import { MAX_SCENARIO_CHARS } from './limits';
import { docsOf, jsonSafeDocs, rememberParsed, type ParsedText } from './parsedScenarios';
import { decodeShare, encodeShare, isShareHash, type SharedTrace } from './shareLink';
import { OFF_THREAD_FROM, preload, type FlowView } from './offThread';
import { getPrefs } from '../canvas/viewPrefs';
import { SCENARIO_FILE } from '../store';

const AUTOSAVE_DELAY_MS = 400;

/** This browser's localStorage, or null where it is refused (privacy settings, sandboxed frames). */
export function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * The text to start with and what to say about it (before the store exists). Its parsed
 * documents, when known (the demo's, built in; the saved ones), are remembered so the first
 * paint needs no YAML parser. `held`: an unreadable save could not be moved aside (storage
 * full) and is still under the autosave key, which this tab must not write over.
 */
export function initialScenario(demo: ParsedText): { text: string; parsed: boolean; saved?: SavedState; notice?: string; held?: boolean } {
  rememberParsed(demo);
  const s = storage();
  if (!s) return { text: demo.text, parsed: true };
  const r = restoreState(s, new Date().toISOString());
  if (r.kind === 'ok' && r.state.yaml.length <= MAX_SCENARIO_CHARS) {
    const { docs, ...saved } = r.state;
    if (docs) rememberParsed({ text: saved.yaml, docs });
    return { text: saved.yaml, parsed: docs !== undefined || saved.yaml === demo.text, saved };
  }
  if (r.kind === 'set-aside') return { text: demo.text, parsed: true, notice: r.message, ...(r.key === null ? { held: true } : {}) };
  return { text: demo.text, parsed: true };
}

/**
 * After the store loaded the initial text: put back the draft, tab and trace; fall back to the
 * demo if the saved text no longer loads (the save kept aside, or left in place and held when
 * storage is too full to move it). Returns whether autosave must hold off (see startAutosave).
 */
export function restoreView(store: AppStore, demo: string, start: ReturnType<typeof initialScenario>): boolean {
  const st = store.getState();
  if (start.notice) st.notify({ kind: 'error', text: start.notice });
  if (!start.saved) return start.held === true;
  if (!st.cluster) {
    // Saved by an older engine that now refuses it, or its parser could not be fetched: keep the text aside, start on the demo.
    const why = st.errors[0]?.message ?? 'unknown error';
    const s = storage();
    const raw = s ? readRaw(s) : null;
    const key = s && raw !== null ? keepAside(s, raw, new Date().toISOString(), SET_ASIDE_PREFIX, AUTOSAVE_KEY) : null;
    st.setScenarioText(demo);
    st.applyScenario();
    store.setState({ past: [] });
    if (key) {
      st.notify({ kind: 'error', text: `The saved scenario no longer loads (${why}). It was kept in localStorage under "${key}" (“Kept” in the top bar); the page starts on the demo.` });
      return false;
    }
    st.notify({ kind: 'error', text: `The saved scenario no longer loads (${why}). The browser's storage is too full to move it aside, so it stays under "${AUTOSAVE_KEY}" and this tab does not autosave over it; the page shows the demo.` });
    return true;
  }
  const { draft, tab, trace, view, selection, form } = start.saved;
  if (draft !== undefined && draft !== start.saved.yaml) st.setScenarioText(draft);
  if (tab) st.setTab(tab);
  if (view) st.setViewport(view);
  if (selection) st.select(selection);
  if (trace) {
    store.setState({ from: trace.from, to: trace.to, proto: trace.proto, port: trace.port });
    st.runTrace();
    // Before the tracer chunk arrives the trace waits; it then opens at the saved packet and hop.
    const place = { cursor: trace.cursor, ...(trace.packet !== undefined ? { packet: trace.packet } : {}) };
    if (store.getState().trace) st.openAt(place);
    else if (store.getState().queued !== null) store.setState({ queued: place });
  } else if (form) {
    // FROM/TO picked but not traced yet: the form comes back as it was.
    store.setState({ from: form.from, to: form.to, proto: form.proto, port: form.port });
  }
  return false;
}

function readRaw(s: Storage): string | null {
  try {
    return s.getItem(AUTOSAVE_KEY);
  } catch {
    return null;
  }
}

/** The autosave of one tab: `hold` stops writing (the stored value is not this tab's to replace) until `resume`. */
export interface Autosave {
  stop(): void;
  /** Write now what is pending (before reading the stored value, e.g. to keep it aside). */
  flush(): void;
  hold(): void;
  resume(): void;
}

/** What autosave writes for the store's state. */
export function savedStateOf(store: AppStore): SavedState {
  const st = store.getState();
  const state: SavedState = { yaml: st.appliedText, tab: st.tab };
  // A big scenario's documents are not kept: writing them is a long task at every save, and the
  // engine worker parses the text off the main thread on the next visit (state/offThread.ts).
  const docs = st.appliedText.length < OFF_THREAD_FROM ? docsOf(st.appliedText) : undefined;
  if (docs && jsonSafeDocs(docs)) state.docs = docs;
  if (st.viewport) state.view = st.viewport;
  if (st.selection) state.selection = st.selection;
  if (st.scenarioText !== st.appliedText) state.draft = st.scenarioText;
  const place = st.trace ? { cursor: st.cursor, ...(st.lookup ? { packet: st.lookup.shown } : {}) } : st.queued;
  if (place) state.trace = { from: st.from, to: st.to, proto: st.proto, port: st.port, ...place };
  else if (st.from && st.to) state.form = { from: st.from, to: st.to, proto: st.proto, port: st.port };
  return state;
}

/**
 * Save (debounced) whenever the work or the view changes. Two tabs share one autosave key:
 * when another tab writes it (the `storage` event, or a stored value that is not the one this
 * tab last wrote), this tab stops saving and asks — keep this tab's work (the other's is kept
 * aside) or load the other tab's (undoable). Nothing is written over silently.
 */
export function startAutosave(store: AppStore, held = false): Autosave {
  const s = storage();
  const none = () => undefined;
  if (!s) return { stop: none, flush: none, hold: none, resume: none };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastError: string | null = null;
  // The stored value this tab last wrote or agreed to: any other value is another tab's.
  let known = readRaw(s);
  let conflict = false;
  let asked: Notice | null = null;
  // A change not written yet (the timer runs): leaving the page writes it, and only then (a big
  // scenario's save is a long task: the next page waits for the old one's pagehide).
  let pending = false;
  const save = () => {
    clearTimeout(timer);
    pending = false;
    if (held) return;
    const now = readRaw(s);
    if (now !== null && now !== known) {
      otherTab(now);
      return;
    }
    const st = store.getState();
    const error = saveState(s, savedStateOf(store));
    known = readRaw(s);
    if (error && error !== lastError) st.notify({ kind: 'error', text: error });
    lastError = error;
  };
  const otherTab = (theirs: string | null) => {
    held = true;
    conflict = true;
    clearTimeout(timer);
    const read = theirs === null ? null : readSaved(theirs);
    const keepMine = {
      label: 'Keep this tab’s work',
      run: () => {
        const current = readRaw(s);
        const aside = current !== null && current !== known ? keepAside(s, current, new Date().toISOString()) : null;
        known = current;
        held = conflict = false;
        save();
        if (aside) store.getState().notify({ kind: 'info', text: `This tab's work is autosaved again; the other tab's is kept under "${aside}" (“Kept” in the top bar).` });
      },
    };
    const loadTheirs = {
      label: 'Load the other tab’s work',
      run: () => {
        const current = readRaw(s);
        const r = current === null ? null : readSaved(current);
        if (!r?.ok) return;
        const { docs, yaml } = r.state;
        if (docs) rememberParsed({ text: yaml, docs });
        void editingFor(store).then(() => {
          if (!store.getState().openScenario(yaml, 'the other tab’s work')) return;
          known = current;
          held = conflict = false;
          store.getState().notify({ kind: 'info', text: 'Loaded the other tab’s work. Undo (Ctrl+Z) brings back this tab’s.' });
        }, none);
      },
    };
    asked = {
      kind: 'info',
      text: read === null
        ? 'Another tab cleared the work saved in this browser. This tab stops autosaving until you choose.'
        : 'Another tab changed the work saved in this browser. This tab stops autosaving (so neither overwrites the other) until you choose.',
      actions: read?.ok ? [keepMine, loadTheirs] : [keepMine],
    };
    store.getState().notify(asked);
  };
  const unsubscribe = store.subscribe((next, prev) => {
    if (next.appliedText === prev.appliedText && next.scenarioText === prev.scenarioText && next.tab === prev.tab && next.trace === prev.trace && next.cursor === prev.cursor && next.queued === prev.queued && next.lookup === prev.lookup && next.viewport === prev.viewport && next.selection === prev.selection && next.from === prev.from && next.to === prev.to && next.proto === prev.proto && next.port === prev.port) return;
    clearTimeout(timer);
    pending = !held;
    if (!held) timer = setTimeout(save, AUTOSAVE_DELAY_MS);
    // Work changed while the choice is open and its notice is gone (dismissed, replaced by the
    // change's own): ask again once the change has settled, never save nor drop it silently.
    else if (conflict) timer = setTimeout(() => conflict && store.getState().notice !== asked && otherTab(readRaw(s)), AUTOSAVE_DELAY_MS);
  });
  const onStorage = (e: StorageEvent) => {
    if (e.storageArea !== s || (e.key !== AUTOSAVE_KEY && e.key !== null)) return;
    if (e.newValue === known || (held && !conflict)) return;
    otherTab(e.newValue);
  };
  // Leaving while the other tab's work is shown as the saved one: this tab's is kept aside, not lost.
  const flush = () => {
    if (conflict) {
      keepAside(s, encodeState(savedStateOf(store)), new Date().toISOString());
      return;
    }
    if (pending) save();
  };
  window.addEventListener('pagehide', flush);
  window.addEventListener('storage', onStorage);
  return {
    stop() {
      clearTimeout(timer);
      unsubscribe();
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('storage', onStorage);
    },
    flush: save,
    hold() {
      clearTimeout(timer);
      held = true;
    },
    resume() {
      held = false;
      known = readRaw(s);
      save();
    },
  };
}

/**
 * Open the share link in the hash, if there is one; then clear the hash so a reload keeps later
 * edits. The saved work it replaces is first kept aside (BEFORE_SHARE_PREFIX), so the way back
 * survives closing the tab; when storage cannot take the copy, autosave holds off instead.
 */
export async function openShareFromHash(store: AppStore, autosave?: Autosave): Promise<void> {
  const hash = window.location.hash;
  if (!isShareHash(hash)) return;
  const decoded = await decodeShare(hash);
  history.replaceState(null, '', window.location.pathname + window.location.search);
  const st = store.getState();
  if (!decoded.ok) {
    st.notify({ kind: 'error', text: decoded.message });
    return;
  }
  try {
    await editingFor(store);
  } catch {
    return; // editingFor said why
  }
  // A big scenario is loaded (and its first drawings derived) in the engine worker meanwhile the page answers.
  store.setState({ busy: 'Opening the shared scenario…' });
  await preload(decoded.payload.yaml, SCENARIO_FILE, firstViews());
  store.setState({ busy: null });
  autosave?.flush();
  const s = storage();
  const before = s ? readRaw(s) : null;
  const key = s && before !== null ? keepAside(s, before, new Date().toISOString(), BEFORE_SHARE_PREFIX) : null;
  if (!st.openScenario(decoded.payload.yaml, 'the shared scenario')) return;
  if (before !== null && key === null) {
    autosave?.hold();
    st.notify({
      kind: 'info',
      text: 'Opened the shared scenario. The browser’s storage is too full to keep a copy of your saved work, so this tab does not autosave the shared scenario over it. Undo (Ctrl+Z) brings back what you had.',
      actions: autosave ? [{ label: 'Autosave the shared scenario (replaces your saved work)', run: () => autosave.resume() }] : [],
    });
  } else {
    st.notify({ kind: 'info', text: key ? `Opened the shared scenario. Undo (Ctrl+Z) brings back your work; it is also kept in this browser (“Kept” in the top bar), after a reload too.` : 'Opened the shared scenario. Undo (Ctrl+Z) brings back what you had before.' });
  }
  const t = decoded.payload.trace;
  if (t) {
    store.setState({ from: t.from, to: t.to, proto: t.proto, port: t.port ?? 0 });
    store.getState().runTrace();
  }
}

/** The drawings the canvas asks for first: the detail level (the camera opens at a readable zoom) and the overview, system pods folded or not as the viewer chose. */
export function firstViews(): FlowView[] {
  const foldSystem = !getPrefs().showSystem;
  return [
    { level: 'detail', foldSystem },
    { level: 'overview', foldSystem },
  ];
}

/** A link to the current scenario (and trace, when asked). */
export async function shareUrl(store: AppStore, withTrace: boolean): Promise<string> {
  const st = store.getState();
  const trace: SharedTrace | undefined = withTrace && st.trace ? { from: st.from, to: st.to, proto: st.proto, ...(st.proto !== 'icmp' ? { port: st.port } : {}) } : undefined;
  const hash = await encodeShare({ yaml: st.appliedText, ...(trace ? { trace } : {}) });
  return `${window.location.origin}${window.location.pathname}${window.location.search}#${hash}`;
}

export function listenForShareLinks(store: AppStore, autosave?: Autosave): void {
  window.addEventListener('hashchange', () => void openShareFromHash(store, autosave));
}

/** The offline cache, in production builds only (a dev server's modules change under it). */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => void navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL }).catch(() => undefined);
  // The boot may have waited for the parser past the load event.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register);
}

export { AUTOSAVE_KEY };
