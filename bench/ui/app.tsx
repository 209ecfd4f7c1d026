/**
 * Benchmark page: the real canvas (ClusterCanvas with PacketLayer, the app's CSS) on a
 * generated cluster of `?pods=N` pods, with a cross-node trace whose packet is kept moving.
 * The runner reads `window.__bench`.
 */
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import '../../src/ui/styles.css';
import { loadCluster, networkOf, trace } from '../../src/engine';
import { ClusterCanvas } from '../../src/ui/canvas/ClusterCanvas';
import { servicesOfCluster } from '../../src/ui/canvas/serviceTable';
import { createAppStore } from '../../src/ui/store';
import { AppStoreProvider } from '../../src/ui/StoreContext';
import { toFlow } from '../../src/ui/toFlow';
import { benchCluster } from './benchCluster';
import { measureFrames, type FrameStats } from './frames';

const params = new URLSearchParams(location.search);
const pods = Number(params.get('pods') ?? 10);
const cluster = benchCluster(pods);
const store = createAppStore({ loadCluster, trace }, '');
// Show the generated cluster as if a command had produced it.
store.setState({ cluster });
const detail = toFlow(cluster, networkOf(cluster), { level: 'detail', services: servicesOfCluster(cluster) });

const target = [...cluster.pods.values()].filter((p) => p.nodeName !== 'worker-1' && p.attachment && !p.hostNetwork).pop()!;
store.setState({ from: 'default/client', to: `${target.meta.namespace}/${target.meta.name}` });

declare global {
  interface Window {
    __bench: {
      pods: number;
      elements: { nodes: number; edges: number };
      run(ms: number, zoom?: number): Promise<FrameStats & { rendered: number }>;
    };
  }
}

window.__bench = {
  pods: cluster.pods.size,
  elements: { nodes: detail.nodes.length, edges: detail.edges.length },
  async run(ms) {
    // The trace is computed before the window: only the animation is measured.
    store.getState().runTrace();
    await new Promise((r) => setTimeout(r, 600));
    // Keep the packet moving: a new hop every 450 ms (each glide takes 420 ms).
    const timer = setInterval(() => {
      const s = store.getState();
      const count = (s.trace?.hops.length ?? 0) + (s.trace?.reply?.hops.length ?? 0);
      s.selectHop((s.cursor + 1) % Math.max(1, count));
    }, 450);
    try {
      const stats = await measureFrames(ms);
      return { ...stats, rendered: document.querySelectorAll('.react-flow__node').length };
    } finally {
      clearInterval(timer);
    }
  },
};

createRoot(document.getElementById('root')!).render(
  <AppStoreProvider store={store}>
    <div style={{ position: 'fixed', inset: 0, display: 'flex' }}>
      <ClusterCanvas />
    </div>
  </AppStoreProvider>,
);
