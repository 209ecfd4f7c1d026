// TEMPORARY: preview the UI with the engine pieces that have landed (facade still incomplete).
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import '../../src/ui/styles.css';
import { trace } from '../../src/engine/trace/tracer';
import { loadScenario } from '../../src/engine/scenario/loadScenario';
import { buildCluster } from '../../src/engine/model/build';
import demo from '../../src/scenarios/demo.yaml?raw';
import { App } from '../../src/ui/App';
import { createAppStore } from '../../src/ui/store';
import { AppStoreProvider } from '../../src/ui/StoreContext';

const store = createAppStore(
  {
    loadCluster: (files) => {
      const s = loadScenario(files, {});
      return s.ok ? buildCluster(s.value) : s;
    },
    trace,
  },
  demo,
);
createRoot(document.getElementById('root')!).render(<AppStoreProvider store={store}><App /></AppStoreProvider>);
