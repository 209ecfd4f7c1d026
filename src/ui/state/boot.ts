/**
 * Starting the app in a browser: restore the autosaved work (or start on the demo), open a
 * share link from the URL hash, keep autosaving, and register the offline service worker in
 * production builds. Everything read from outside goes through the size caps and the engine's
 * loader; a failure is a notice and leaves the work as it was.
 */
import { editingFor } from '../editing';
import type { AppStore } from '../store';
import { AUTOSAVE_KEY, restoreState, saveState, type SavedState } from './autosave';
import { MAX_SCENARIO_CHARS } from './limits';
import { docsOf, jsonSafeDocs, rememberParsed, type ParsedText } from './parsedScenarios';
import { decodeShare, encodeShare, isShareHash, type SharedTrace } from './shareLink';

const AUTOSAVE_DELAY_MS = 400;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * The text to start with and what to say about it (before the store exists). Its parsed
 * documents, when known (the demo's, built in; the saved ones), are remembered so the first
 * paint needs no YAML parser.
 */
export function initialScenario(demo: ParsedText): { text: string; parsed: boolean; saved?: SavedState; notice?: string } {
  rememberParsed(demo);
  const s = storage();
  if (!s) return { text: demo.text, parsed: true };
  const r = restoreState(s, new Date().toISOString());
  if (r.kind === 'ok' && r.state.yaml.length <= MAX_SCENARIO_CHARS) {
    const { docs, ...saved } = r.state;
    if (docs) rememberParsed({ text: saved.yaml, docs });
    return { text: saved.yaml, parsed: docs !== undefined || saved.yaml === demo.text, saved };
  }
  if (r.kind === 'set-aside') return { text: demo.text, parsed: true, notice: r.message };
  return { text: demo.text, parsed: true };
}

/** After the store loaded the initial text: put back the draft, tab and trace; fall back to the demo if the saved text no longer loads. */
export function restoreView(store: AppStore, demo: string, start: ReturnType<typeof initialScenario>): void {
  const st = store.getState();
  if (start.notice) st.notify({ kind: 'error', text: start.notice });
  if (!start.saved) return;
  if (!st.cluster) {
    // Saved by an older engine that now refuses it: keep the text aside, start on the demo.
    const s = storage();
    const key = `podpath:set-aside:${new Date().toISOString()}`;
    s?.setItem(key, JSON.stringify({ v: 1, ...start.saved }));
    st.setScenarioText(demo);
    st.applyScenario();
    store.setState({ past: [] });
    st.notify({ kind: 'error', text: `The saved scenario no longer loads (${st.errors[0]?.message ?? 'unknown error'}). It was kept in localStorage under "${key}"; the page starts on the demo.` });
    return;
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
}

/** Save (debounced) whenever the work or the view changes. */
export function startAutosave(store: AppStore): () => void {
  const s = storage();
  if (!s) return () => undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastError: string | null = null;
  const save = () => {
    const st = store.getState();
    const state: SavedState = { yaml: st.appliedText, tab: st.tab };
    const docs = docsOf(st.appliedText);
    if (docs && jsonSafeDocs(docs)) state.docs = docs;
    if (st.viewport) state.view = st.viewport;
    if (st.selection) state.selection = st.selection;
    if (st.scenarioText !== st.appliedText) state.draft = st.scenarioText;
    const place = st.trace ? { cursor: st.cursor, ...(st.lookup ? { packet: st.lookup.shown } : {}) } : st.queued;
    if (place) state.trace = { from: st.from, to: st.to, proto: st.proto, port: st.port, ...place };
    else if (st.from && st.to) state.form = { from: st.from, to: st.to, proto: st.proto, port: st.port };
    const error = saveState(s, state);
    if (error && error !== lastError) st.notify({ kind: 'error', text: error });
    lastError = error;
  };
  const unsubscribe = store.subscribe((next, prev) => {
    if (next.appliedText === prev.appliedText && next.scenarioText === prev.scenarioText && next.tab === prev.tab && next.trace === prev.trace && next.cursor === prev.cursor && next.queued === prev.queued && next.lookup === prev.lookup && next.viewport === prev.viewport && next.selection === prev.selection && next.from === prev.from && next.to === prev.to && next.proto === prev.proto && next.port === prev.port) return;
    clearTimeout(timer);
    timer = setTimeout(save, AUTOSAVE_DELAY_MS);
  });
  const flush = () => {
    clearTimeout(timer);
    save();
  };
  window.addEventListener('pagehide', flush);
  return () => {
    unsubscribe();
    window.removeEventListener('pagehide', flush);
  };
}

/** Open the share link in the hash, if there is one; then clear the hash so a reload keeps later edits. */
export async function openShareFromHash(store: AppStore): Promise<void> {
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
  if (!st.openScenario(decoded.payload.yaml, 'the shared scenario')) return;
  st.notify({ kind: 'info', text: 'Opened the shared scenario. Undo (Ctrl+Z) brings back what you had before.' });
  const t = decoded.payload.trace;
  if (t) {
    store.setState({ from: t.from, to: t.to, proto: t.proto, port: t.port ?? 0 });
    store.getState().runTrace();
  }
}

/** A link to the current scenario (and trace, when asked). */
export async function shareUrl(store: AppStore, withTrace: boolean): Promise<string> {
  const st = store.getState();
  const trace: SharedTrace | undefined = withTrace && st.trace ? { from: st.from, to: st.to, proto: st.proto, ...(st.proto !== 'icmp' ? { port: st.port } : {}) } : undefined;
  const hash = await encodeShare({ yaml: st.appliedText, ...(trace ? { trace } : {}) });
  return `${window.location.origin}${window.location.pathname}${window.location.search}#${hash}`;
}

export function listenForShareLinks(store: AppStore): void {
  window.addEventListener('hashchange', () => void openShareFromHash(store));
}

/** The offline cache, in production builds only (a dev server's modules change under it). */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL }).catch(() => undefined);
  });
}

export { AUTOSAVE_KEY };
