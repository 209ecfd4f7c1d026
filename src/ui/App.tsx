/** The page: the cluster drawing on the left, the trace and scenario panels on the right. */
import { useState, type ReactNode } from 'react';
import { ClusterCanvas } from './canvas/ClusterCanvas';
import { ScenarioPanel } from './panels/ScenarioPanel';
import { TracePanel } from './panels/TracePanel';
import { useApp } from './StoreContext';

type Tab = 'trace' | 'scenario';

export function App() {
  const [tab, setTab] = useState<Tab>('trace');
  const errorCount = useApp((s) => s.errors.length);
  return (
    <div className="app">
      <TopBar />
      <main className="workspace">
        <ClusterCanvas />
        <aside className="sidebar">
          <nav className="tabs" role="tablist">
            <TabButton id="trace" tab={tab} setTab={setTab}>
              Trace
            </TabButton>
            <TabButton id="scenario" tab={tab} setTab={setTab}>
              Scenario{errorCount > 0 && <span className="tabs__badge">{errorCount}</span>}
            </TabButton>
          </nav>
          <div className="sidebar__body">{tab === 'trace' ? <TracePanel /> : <ScenarioPanel />}</div>
        </aside>
      </main>
    </div>
  );
}

function TabButton({ id, tab, setTab, children }: { id: Tab; tab: Tab; setTab: (t: Tab) => void; children: ReactNode }) {
  return (
    <button type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'is-on' : ''} onClick={() => setTab(id)} data-testid={`tab-${id}`}>
      {children}
    </button>
  );
}

function TopBar() {
  const config = useApp((s) => s.cluster?.config);
  const nodeCount = useApp((s) => s.cluster?.nodes.length ?? 0);
  const podCount = useApp((s) => s.cluster?.pods.size ?? 0);
  return (
    <header className="topbar">
      <h1 className="topbar__brand">
        <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" width={22} height={22} />
        podpath
      </h1>
      {config && (
        <div className="topbar__facts" data-testid="cluster-facts">
          <span className="topbar__cluster">{config.name}</span>
          <span className="badge">CNI {config.cni}</span>
          <span className="badge">kube-proxy {config.kubeProxy}</span>
          <span className="muted">
            {nodeCount} nodes · {podCount} pods · pods {config.podCIDR.toString()} · services {config.serviceCIDR.toString()}
          </span>
        </div>
      )}
    </header>
  );
}
