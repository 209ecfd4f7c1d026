/**
 * The canvas toolbar: add a node, theme, presentation zoom, and export for slides. Exports
 * always draw the detail level, whatever the zoom.
 */
import { useReactFlow } from '@xyflow/react';
import { networkOf } from '../../engine/cni/network';
import type { Cluster } from '../../engine/model/cluster';
import { edit } from '../editing';
import { toFlow } from '../toFlow';
import { useApp, useAppStoreApi } from '../StoreContext';
import { freeNodeName } from './palette';
import { servicesOfCluster } from './serviceTable';
import { useViewPrefs, type Theme } from './viewPrefs';

const PRESENTATION_ZOOM = 1.4;

export function CanvasToolbar({ cluster }: { cluster: Cluster | null }) {
  const store = useAppStoreApi();
  const [prefs, setPrefs] = useViewPrefs();
  const flow = useReactFlow();
  const hasTrace = useApp((s) => !!s.trace && (s.trace.hops.length > 0 || (s.lookup?.packets.length ?? 0) > 1));
  /** Presentation zoom makes the drawing bigger too (1.4×, around the centre of the view). */
  const togglePresentation = () => {
    const on = !prefs.presentation;
    setPrefs({ presentation: on });
    void flow.zoomTo(flow.getZoom() * (on ? PRESENTATION_ZOOM : 1 / PRESENTATION_ZOOM), { duration: 0 });
  };
  // Computed on click only: exporting is rare, editing is not.
  const detail = () => (cluster ? toFlow(cluster, networkOf(cluster), { level: 'detail', services: servicesOfCluster(cluster) }) : { nodes: [], edges: [] });
  const name = cluster?.config.name ?? 'cluster';

  const addNode = () => {
    const c = store.getState().cluster;
    if (!c) return;
    const node = freeNodeName(c);
    void edit(store, (commands) => store.getState().applyCommand(`Add node ${node}`, (cl) => commands.addNode(cl, { name: node })));
  };
  // The image exporters load on first use (slides are made now and then, not on every visit).
  const exportAs = (format: 'SVG' | 'PNG') => {
    import('./exportImage')
      .then(({ exportPng, exportSvg, themeColors }) => {
        const colors = themeColors(document.querySelector('.canvas') ?? document.documentElement);
        return format === 'SVG' ? exportSvg(detail(), colors, name) : exportPng(detail(), colors, name);
      })
      .catch((e: unknown) => store.getState().notify({ kind: 'error', text: `${format} export: ${e instanceof Error ? e.message : String(e)}` }));
  };
  // The pcapng encoder loads on first use too: the trace as it is on each device, for Wireshark.
  const exportPcapng = () => {
    const { cluster: c, trace, lookup, from, to } = store.getState();
    if (!c || !trace) return;
    import('./exportPcap')
      .then(({ exportPcap }) => exportPcap(c, lookup ? lookup.packets : [trace], from, to))
      .catch((e: unknown) => store.getState().notify({ kind: 'error', text: `pcapng export: ${e instanceof Error ? e.message : String(e)}` }));
  };

  return (
    <div className="canvas-toolbar" role="toolbar" aria-label="Canvas">
      <button type="button" className="button" onClick={addNode} disabled={!cluster} data-testid="add-node" title="Add a worker node (kubectl: a new node joins)">
        <span aria-hidden>+</span> Node
      </button>
      <span className="canvas-toolbar__sep" aria-hidden />
      <label className="canvas-toolbar__theme">
        <span className="sr-only">Theme</span>
        <select value={prefs.theme} onChange={(e) => setPrefs({ theme: e.target.value as Theme })} data-testid="theme" aria-label="Theme">
          <option value="system">◐ System</option>
          <option value="light">☀ Light</option>
          <option value="dark">☾ Dark</option>
        </select>
      </label>
      <button type="button" className={`button${prefs.presentation ? ' is-on' : ''}`} aria-pressed={prefs.presentation} onClick={togglePresentation} data-testid="presentation" title="Large text for projectors">
        <span aria-hidden>Aa</span> Presentation
      </button>
      <span className="canvas-toolbar__sep" aria-hidden />
      <button type="button" className="button" onClick={() => exportAs('SVG')} disabled={!cluster} data-testid="export-svg" title="Save the drawing as SVG">
        SVG
      </button>
      <button type="button" className="button" onClick={() => exportAs('PNG')} disabled={!cluster} data-testid="export-png" title="Save the drawing as PNG">
        PNG
      </button>
      <button
        type="button"
        className="button"
        onClick={exportPcapng}
        disabled={!cluster || !hasTrace}
        data-testid="export-pcapng"
        aria-label="Download pcapng"
        title={hasTrace ? 'Download the current trace as pcapng: every hop\'s packet as a capture on that device shows it (Wireshark, tcpdump -r)' : 'Run a trace first: its packets download as pcapng for Wireshark'}
      >
        pcapng
      </button>
    </div>
  );
}
