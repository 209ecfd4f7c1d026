/**
 * The canvas bar, a row above the drawing (not over it, so it never hides a node box's
 * header): what the canvas says about itself (`status`: part off-screen, zoomed out, still
 * drawing) and the toolbar — add a node, show or fold the system pods, the side panel, theme,
 * presentation mode (with full screen), and export for slides. Exports always draw the detail
 * level with every pod, whatever the zoom. In presentation mode only what a presenter needs
 * stays, so the bar fits on one line at 1280 px; on a narrow canvas the longer labels shorten
 * (canvas.css), the accessible names stay.
 */
import type { ReactNode } from 'react';
import { setClassView, useClassView } from '../lessons/classView/classViewMode';
import type { Cluster } from '../../engine/model/cluster';
import { edit } from '../editing';
import { loadDrawing } from '../drawing';
import { drawFlow } from './flowOf';
import { useApp, useAppStoreApi } from '../StoreContext';
import { freeNodeName } from './palette';
import { sidebarOpen, toggleFullscreen, toggleSidebar, useViewPrefs, type Theme } from './viewPrefs';

export function CanvasToolbar({ cluster, status }: { cluster: Cluster | null; status?: ReactNode }) {
  const store = useAppStoreApi();
  const [prefs, setPrefs] = useViewPrefs();
  const presenting = prefs.presentation;
  const classView = useClassView();
  const panelOpen = sidebarOpen(prefs);
  const togglePresentation = () => setPrefs({ presentation: !presenting });
  const hasTrace = useApp((s) => !!s.trace && (s.trace.hops.length > 0 || (s.lookup?.packets.length ?? 0) > 1));
  // Computed on click only: exporting is rare, editing is not.
  const detail = () => loadDrawing().then((engine) => (cluster ? drawFlow(engine, cluster, 'detail', null, false, '') : { nodes: [], edges: [] }));
  const name = cluster?.config.name ?? 'cluster';

  const addNode = () => {
    const c = store.getState().cluster;
    if (!c) return;
    const node = freeNodeName(c);
    void edit(store, (commands) => store.getState().applyCommand(`Add node ${node}`, (cl) => commands.addNode(cl, { name: node })));
  };
  // The image exporters load on first use (slides are made now and then, not on every visit).
  const exportAs = (format: 'SVG' | 'PNG') => {
    Promise.all([import('./exportImage'), detail()])
      .then(([{ exportPng, exportSvg, themeColors }, flow]) => {
        const colors = themeColors(document.querySelector('.canvas') ?? document.documentElement);
        return format === 'SVG' ? exportSvg(flow, colors, name) : exportPng(flow, colors, name);
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
    <div className="canvas-bar" data-testid="canvas-bar">
      <div className="canvas-bar__status">{status}</div>
      <div className="canvas-toolbar" role="toolbar" aria-label="Canvas">
        {!presenting && (
          <>
            <button type="button" className="button" onClick={addNode} disabled={!cluster} data-testid="add-node" title="Add a worker node (kubectl: a new node joins)">
              <span aria-hidden>+</span> Node
            </button>
            <span className="canvas-toolbar__sep" aria-hidden />
          </>
        )}
        <button
          type="button"
          className={`button${prefs.showSystem ? ' is-on' : ''}`}
          aria-pressed={prefs.showSystem}
          onClick={() => setPrefs({ showSystem: !prefs.showSystem })}
          data-testid="system-pods"
          title={prefs.showSystem ? 'Fold the system pods into a count per node' : 'Draw the system pods (kube-system and the CNI’s)'}
        >
          <span aria-hidden className="canvas-toolbar__icon">⚙ </span>System<span className="canvas-toolbar__long"> pods</span>
        </button>
        <label className="canvas-toolbar__theme">
          <span className="sr-only">Theme</span>
          <select value={prefs.theme} onChange={(e) => setPrefs({ theme: e.target.value as Theme })} data-testid="theme" aria-label="Theme">
            <option value="system">◐ System</option>
            <option value="light">☀ Light</option>
            <option value="dark">☾ Dark</option>
          </select>
        </label>
        <button type="button" className={`button${presenting ? ' is-on' : ''}`} aria-pressed={presenting} onClick={togglePresentation} data-testid="presentation" title="For a projector: large text, the camera follows the packet, PageUp/PageDown step, F for full screen">
          <span aria-hidden className="canvas-toolbar__icon">Aa </span>Present<span className="canvas-toolbar__long">ation</span>
        </button>
        {presenting && (
          <button type="button" className={`button${classView ? ' is-on' : ''}`} aria-pressed={classView} onClick={() => setClassView(!classView)} data-testid="class-view-toggle" title="Class view (C): the lesson step's prediction for the room, then its reveal">
            Class view
          </button>
        )}
        {presenting && (
          <button type="button" className="button" onClick={toggleFullscreen} data-testid="fullscreen" title="Full screen (F)">
            Full screen
          </button>
        )}
        <button type="button" className={`button${panelOpen ? ' is-on' : ''}`} aria-pressed={panelOpen} aria-controls="sidebar" onClick={toggleSidebar} data-testid="sidebar-toggle" title={panelOpen ? 'Hide the side panel (more room for the drawing)' : 'Show the side panel (trace, YAML, edit)'}>
          <span aria-hidden>{panelOpen ? '⇥' : '⇤'}</span> Panel
        </button>
        {!presenting && (
          <>
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
          </>
        )}
      </div>
    </div>
  );
}
