/**
 * Browser entry: the saved or demo scenario, the store, and the page. The first paint draws from
 * parsed YAML documents (the demo's are built in, autosave keeps the saved text's); only a saved
 * text without them waits for the YAML parser first.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/styles.css';
import demo from './scenarios/demo.yaml?scenario';
import { App } from './ui/App';
import { initialScenario, listenForShareLinks, openShareFromHash, registerServiceWorker, restoreView, startAutosave } from './ui/state/boot';
import { editingFor } from './ui/editing';
import { attachParser, loadScenarioFiles } from './ui/state/parsedScenarios';
import { createAppStore } from './ui/store';
import { AppStoreProvider } from './ui/StoreContext';
import { whenIdle } from './ui/whenIdle';

const start = initialScenario(demo);
if (!start.parsed) attachParser((await import('./ui/editingChunk')).parser);
const store = createAppStore({ loadCluster: loadScenarioFiles }, start.text);
restoreView(store, demo.text, start);
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
