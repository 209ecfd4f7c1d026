/** Browser entry: the engine, the saved or demo scenario, the store, and the page. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/styles.css';
import { loadCluster } from './engine/load';
import demo from './scenarios/demo.yaml?raw';
import { App } from './ui/App';
import { initialScenario, listenForShareLinks, openShareFromHash, registerServiceWorker, restoreView, startAutosave } from './ui/state/boot';
import { editingFor } from './ui/editing';
import { createAppStore } from './ui/store';
import { AppStoreProvider } from './ui/StoreContext';
import { whenIdle } from './ui/whenIdle';

const start = initialScenario(demo);
const store = createAppStore({ loadCluster: (files) => loadCluster(files) }, start.text);
restoreView(store, demo, start);
startAutosave(store);
void openShareFromHash(store);
listenForShareLinks(store);
registerServiceWorker();

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
  void editingFor(store).catch(() => undefined);
  void import('./ui/panels/TraceView').catch(() => undefined);
  void import('./ui/canvas/PacketLayer').catch(() => undefined);
  Promise.all([import('./engine/trace/tracer'), import('./ui/nameTrace')])
    .then(([{ trace }, { traceName }]) => store.getState().attachEngine({ trace, traceName }))
    .catch((e: unknown) => store.getState().notify({ kind: 'error', text: `The tracer could not be loaded (${e instanceof Error ? e.message : String(e)}); reload the page to trace packets.` }));
});
