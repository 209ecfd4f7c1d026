/**
 * Browser entry: the saved or demo scenario, the store, and the page. The demo's cluster and its
 * drawings are built in (the first paint needs neither the YAML parser, the loader nor the
 * drawing engine: the CNI plugins and the Service table); a saved scenario waits for the loader
 * of parsed documents (autosave keeps the saved text's documents) and the drawing engine, a saved
 * text without documents for the YAML parser, and a big one is loaded in the engine worker.
 *
 * What this file imports statically is the first-load bundle (bench:ui holds it to a ratio of a
 * bare React Flow build); src/firstPaint.test.ts keeps the lazy parts out of its import graph.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/styles.css';
import demo from './scenarios/demo.yaml?scenario';
import { App } from './ui/App';
import { firstViews, initialScenario, listenForShareLinks, openShareFromHash, registerServiceWorker, restoreView, startAutosave } from './ui/state/boot';
import { editingFor } from './ui/editing';
import { attachLoader, attachParser, docsOf, loadScenarioFiles, rememberBuiltIn } from './ui/state/parsedScenarios';
import { decodeCluster } from './ui/state/clusterCopy';
import { seedFlow } from './ui/canvas/flowOf';
import { loadDrawing, rememberBuiltInDrawing } from './ui/drawing';
import { OFF_THREAD_FROM, preload } from './ui/state/offThread';
import { createAppStore, SCENARIO_FILE } from './ui/store';
import { AppStoreProvider } from './ui/StoreContext';
import { whenIdle } from './ui/whenIdle';

// No top-level await: the editing chunk imports the first-paint chunk (which holds this entry),
// so an entry awaiting it would wait on itself and the page would stay blank.
void boot();

async function boot(): Promise<void> {
  const cluster = decodeCluster(demo.cluster);
  rememberBuiltIn(demo.text, cluster);
  rememberBuiltInDrawing(cluster, demo.drawn);
  for (const [key, flow] of Object.entries(demo.drawn.views)) seedFlow(cluster, key, flow);
  const start = initialScenario(demo);
  // A big saved scenario loads in the engine worker (its documents, when saved, go with it); the
  // loading note stays meanwhile and the page answers. The store then finds it loaded.
  if (start.text.length >= OFF_THREAD_FROM) {
    const note = document.querySelector('[data-testid="boot-loading"]');
    if (note?.lastChild) note.lastChild.textContent = 'Loading podpath — building your saved cluster…';
    await preload(start.text, SCENARIO_FILE, firstViews(), docsOf(start.text));
  }
  if (start.text !== demo.text) {
    // The loader (any saved text the worker did not load), and the drawing engine. If the loader's
    // chunk cannot be fetched, the text does not load and restoreView keeps it aside and starts on
    // the demo; without the drawing engine the canvas stays empty until it is fetched (flowOf asks again).
    await Promise.all([import('./ui/loaderChunk').then((m) => attachLoader(m.loadParsedCluster), () => undefined), loadDrawing().catch(() => undefined)]);
  }
  if (!start.parsed) {
    // A saved text without its documents (aliases, a full storage): the parser first. If its chunk
    // cannot be fetched, the text does not load and restoreView keeps it aside and starts on the demo.
    await import('./ui/editingChunk').then((m) => attachParser(m.parser), () => undefined);
  }
  const store = createAppStore({ loadCluster: loadScenarioFiles }, start.text);
  const held = restoreView(store, demo.text, start);
  const autosave = startAutosave(store, held);
  const notice = store.getState().notice;
  if (held && notice) store.getState().notify({ ...notice, actions: [{ label: 'Autosave this tab’s work (replaces the unreadable save)', run: () => autosave.resume() }] });
  void openShareFromHash(store, autosave);
  listenForShareLinks(store, autosave);

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <AppStoreProvider store={store}>
        <App />
      </AppStoreProvider>
    </StrictMode>,
  );

  // The tracer (kube-proxy, policy, DNS, the forwarder) is a chunk of its own: the cluster is drawn
  // first, then it arrives and any trace asked for meanwhile (a restored one, a share link's) runs.
  // The edit commands and the trace view's panels follow (fetched now, so nothing waits on them later).
  whenIdle(() => {
    // The offline cache fetches every file of the build when it installs: after the first render,
    // not on the load event, which can come before it and would then compete with it.
    registerServiceWorker();
    void loadDrawing().catch(() => undefined);
    void editingFor(store).catch(() => undefined);
    void import('./ui/panels/TraceView').catch(() => undefined);
    void import('./ui/canvas/PacketLayer').catch(() => undefined);
    // The trace's drawing (its pods kept on the canvas) needs the drawing engine: it comes first.
    Promise.all([import('./engine/trace/tracer'), import('./ui/nameTrace'), loadDrawing()])
      .then(([{ trace }, { traceName }]) => store.getState().attachEngine({ trace, traceName }))
      .catch((e: unknown) => store.getState().notify({ kind: 'error', text: `The tracer could not be loaded (${e instanceof Error ? e.message : String(e)}); reload the page to trace packets.` }));
  });
}
