/** Browser entry: the engine, the demo scenario, the store, and the page. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/styles.css';
import { loadCluster, trace } from './engine';
import demo from './scenarios/demo.yaml?raw';
import { App } from './ui/App';
import { createAppStore } from './ui/store';
import { AppStoreProvider } from './ui/StoreContext';

const store = createAppStore({ loadCluster: (files) => loadCluster(files), trace }, demo);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppStoreProvider store={store}>
      <App />
    </AppStoreProvider>
  </StrictMode>,
);
