/**
 * The cluster drawing: React Flow over nodes and edges derived from the engine's cluster
 * (toFlow), with the packet animation layered on top. Nothing here is stored: a new cluster
 * gives a new drawing. Edits (drop a palette pod on a node, drag a pod to another node, add or
 * remove a node) go through the store's applyCommand with the engine's commands, so they can
 * be undone and their errors are shown by the app.
 *
 * Semantic zoom: below OVERVIEW_BELOW the drawing switches to the overview level (node boxes
 * with pod counts, and the pods the current trace visits); the geometry is the same at both
 * levels, so nothing jumps. The camera never zooms by itself below the zoom at which pod
 * names and IPs are readable (camera.ts); when the cluster does not fit at that zoom a chip
 * says part of it is off-screen, and at the overview level one says the pods are counted.
 * System pods are folded into a count per node unless the user shows them.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, useStore as useFlowStore, type Viewport } from '@xyflow/react';
import { KeepGrownNodeInView } from './KeepGrownNodeInView';
import { useSettledSize } from './settledSize';
import type { Cluster } from '../../engine/model/cluster';
import type { TraceResult } from '../../engine/trace/traceTypes';
import { drawingBounds, frameCluster, onScreen, READABLE_ZOOM, type Padding } from './camera';
import { edit } from '../editing';
import { useApp, useAppStoreApi } from '../StoreContext';
import { flowIds, isSystemNamespace, type FlowNode } from '../toFlow';
import { ActionsContext, DRAG_MIME, DropTargetContext, FlashContext, type CanvasActions, type DragPayload, type IpFlash } from './canvasContext';
import { CanvasToolbar } from './CanvasToolbar';
import { nodeBoxAt } from './hitTest';
import { ipChanges } from './ipChanges';
import { NodeChooser, type ChooserRequest } from './NodeChooser';
import { nodeTypes } from './nodeTypes';
import { PALETTE, freePodName, podManifest } from './palette';
import { Palette } from './Palette';
import { flowOf } from './flowOf';
import { useDrawingReady } from '../drawing';
import { boxesInView, joinIds, windowFlow, WINDOW_ABOVE } from './windowFlow';
import { countText, freshCount, partialFlow, STEP_NODES } from './progressive';
import type { Flow } from '../toFlow';
import { useResolvedDark, useViewPrefs, setPrefs } from './viewPrefs';
import { MAX_ZOOM, MIN_ZOOM } from '../state/limits';
import './canvas.css';

/** The canvas width from which the minimap is drawn (canvas.css's container query); it takes the bottom-right corner. */
export const MINIMAP_FROM_WIDTH = 1440;
/**
 * Room around the drawing (the toolbar is a row above it, CanvasToolbar), for the palette on the left while it is open, and for the
 * minimap (150 px and React Flow's 15 px margin) on the right where it is drawn, so a framed
 * cluster's last node box is not under it (issue 13 point 9: it covered part of worker-2).
 */
export function canvasPadding(paletteOpen: boolean, minimap = false): Padding {
  return { top: 16, left: paletteOpen ? 214 : 16, right: minimap ? 16 + MINIMAP_SIZE.width + 15 : 16, bottom: 16 };
}
const px = (n: number) => `${n}px` as const;
const fitOptions = (p: Padding) => ({ padding: { top: px(p.top), left: px(p.left), right: px(p.right), bottom: px(p.bottom) } });
/** Zoom below which only node boxes and pod counts are drawn. */
export const OVERVIEW_BELOW = 0.4;
/** How long a changed pod IP stays on show. */
const FLASH_MS = 5000;

// The packet animation is only drawn while there is a trace; it loads with the first one, and
// so does the camera that frames the trace and follows the packet.
const PacketLayer = lazy(() => import('./PacketLayer').then((m) => ({ default: m.PacketLayer })));
const TraceCamera = lazy(() => import('./TraceCamera').then((m) => ({ default: m.TraceCamera })));

/**
 * Of the trace's pods, those the drawing would otherwise leave out (all of them at the overview
 * level, the system ones while folded): '' when none, so a trace leaves the cached drawing of a
 * big cluster alone instead of deriving it again.
 */
export function keptHere(keep: string, overview: boolean, fold: boolean): string {
  if (!keep || overview) return keep;
  if (!fold) return '';
  return keep
    .split(' ')
    .filter((id) => isSystemNamespace(id.slice(4, id.indexOf('/'))))
    .join(' ');
}

/** The pods a trace visits (flow ids, sorted, space-separated): kept on the drawing at every level. */
export function tracePods(trace: TraceResult | null): string {
  if (!trace) return '';
  const ids = new Set<string>();
  for (const hop of [...trace.hops, ...(trace.reply?.hops ?? [])]) {
    if (!hop.netns.startsWith('pod/')) continue;
    const [namespace, ...rest] = hop.netns.slice(4).split('/');
    ids.add(flowIds.pod(namespace, rest.join('/')));
  }
  return [...ids].sort().join(' ');
}

/** The node boxes a trace passes through (flow ids, sorted, space-separated): their insides stay drawn however big the cluster. */
export function traceBoxes(trace: TraceResult | null, cluster: Cluster | null): string {
  if (!trace || !cluster) return '';
  const ids = new Set<string>();
  for (const hop of [...trace.hops, ...(trace.reply?.hops ?? [])]) {
    if (hop.netns.startsWith('node/')) ids.add(flowIds.node(hop.netns.slice(5)));
    else if (hop.netns.startsWith('pod/')) {
      const node = cluster.pods.get(hop.netns.slice(4))?.nodeName;
      if (node) ids.add(flowIds.node(node));
    }
  }
  return [...ids].sort().join(' ');
}

export function ClusterCanvas() {
  // The provider starts with the drawing, so the first render already holds the cluster's boxes
  // (an empty provider would draw nothing, then everything one render later). A big drawing
  // starts windowed to where the camera will be (windowFlow.ts).
  const cluster = useApp((s) => s.cluster);
  const keep = useApp((s) => tracePods(s.trace));
  const store = useAppStoreApi();
  const [prefs] = useViewPrefs();
  const [first] = useState(() => {
    const flow = flowOf(cluster, 'detail', null, !prefs.showSystem, keptHere(keep, false, !prefs.showSystem));
    if (flow.nodes.length <= WINDOW_ABOVE) return flow;
    const st = store.getState();
    const view = boxesInView(flow, st.viewport ?? { x: 0, y: 0, zoom: 1 }, typeof window === 'undefined' ? 0 : window.innerWidth, typeof window === 'undefined' ? 0 : window.innerHeight);
    // The first step of a progressive drawing (CanvasInner draws the rest, a step per frame).
    return partialFlow(windowFlow(flow, joinIds(view, traceBoxes(st.trace, st.cluster))), new Set(), STEP_NODES).flow;
  });
  return (
    <ReactFlowProvider initialNodes={first.nodes} initialEdges={first.edges}>
      <CanvasInner />
    </ReactFlowProvider>
  );
}

function CanvasInner() {
  const store = useAppStoreApi();
  const cluster = useApp((s) => s.cluster);
  const overview = useFlowStore((s) => s.transform[2] < OVERVIEW_BELOW);
  // A selected Service (`svc/ns/name`) shows its endpoint edges.
  const focusService = useApp((s) => (s.selection?.startsWith('svc/') ? s.selection.slice(4) : null));
  const [prefs] = useViewPrefs();
  const keep = useApp((s) => tracePods(s.trace));
  useDrawingReady(); // a stand-in drawing (flowOf) is replaced when the drawing engine arrives
  const full = flowOf(cluster, overview ? 'overview' : 'detail', focusService, !prefs.showSystem, keptHere(keep, overview, !prefs.showSystem));
  // A big drawing is windowed: the insides of the boxes near the screen and of those the trace visits.
  const big = full.nodes.length > WINDOW_ABOVE;
  const inView = useFlowStore(useCallback((s) => (big ? boxesInView(full, { x: s.transform[0], y: s.transform[1], zoom: s.transform[2] }, s.width, s.height) : ''), [full, big]));
  const pinned = useApp((s) => (big ? traceBoxes(s.trace, s.cluster) : ''));
  const { flow, left } = useProgressive(windowFlow(full, joinIds(inView, pinned)));
  // The palette starts closed on a laptop-sized window: open, it covers a fifth of the canvas.
  const [paletteOpen, setPaletteOpen] = useState(() => typeof window === 'undefined' || window.innerWidth >= 1500);
  const minimap = useFlowStore((s) => s.width >= MINIMAP_FROM_WIDTH);
  const padding = canvasPadding(paletteOpen && !prefs.presentation, minimap);
  const dark = useResolvedDark(prefs.theme);
  const { screenToFlowPosition } = useReactFlow();
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const [chooser, setChooser] = useState<ChooserRequest | null>(null);
  const flashes = useIpFlashes(cluster);
  const [savedView] = useState(() => store.getState().viewport);
  // A reload that restores a trace with its camera: the first trace keeps the camera it had.
  const [restoredTrace] = useState(() => store.getState().viewport !== null && (store.getState().trace !== null || store.getState().queued !== null));
  const hasTrace = useApp((s) => s.trace !== null);
  const busy = useApp((s) => s.busy);

  const movePod = useCallback(
    (key: string, node: string) => {
      const [ns, ...rest] = key.split('/');
      const name = rest.join('/');
      return edit(store, (commands) => store.getState().applyCommand(`Move pod ${name} to ${node}`, (c) => commands.movePod(c, ns, name, node)));
    },
    [store],
  );
  const addPod = useCallback(
    (itemId: string, node: string) => {
      const item = PALETTE.find((p) => p.id === itemId);
      const c = store.getState().cluster;
      if (!item || !c) return;
      const name = freePodName(c, item.id);
      void edit(store, (commands) => store.getState().applyCommand(`Add pod ${name} on ${node}`, (cl) => commands.addPod(cl, podManifest(item, name, node)))).then((ok) => {
        if (ok) store.getState().select(`default/${name}`);
      });
    },
    [store],
  );

  const actions = useMemo<CanvasActions>(
    () => ({
      select: (id) => store.getState().select(id),
      startMove: (podKey) => setChooser({ mode: 'move', podKey }),
      removeNode: (name) => void edit(store, (commands) => store.getState().applyCommand(`Remove node ${name}`, (c) => commands.deleteNode(c, name))),
    }),
    [store],
  );

  const nodeUnder = (e: DragEvent): string | undefined => nodeBoxAt(full, screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DRAG_MIME)) return;
    e.preventDefault();
    const node = nodeUnder(e);
    e.dataTransfer.dropEffect = node ? 'move' : 'none';
    const id = node ? `node:${node}` : null;
    if (id !== dropTarget) setDropTarget(id);
  };
  const onDrop = (e: DragEvent) => {
    setDropTarget(null);
    const raw = e.dataTransfer.getData(DRAG_MIME);
    if (!raw) return;
    e.preventDefault();
    const node = nodeUnder(e);
    if (!node) return;
    const payload = JSON.parse(raw) as DragPayload;
    if (payload.kind === 'palette') addPod(payload.item, node);
    else void movePod(payload.key, node);
  };

  const onChoose = (node: string) => {
    const req = chooser;
    setChooser(null);
    if (!req) return;
    if (req.mode === 'move') {
      void movePod(req.podKey, node).then(() => refocusPod(req.podKey));
    } else addPod(req.item, node);
  };

  return (
    <div
      className={`canvas${overview ? ' canvas--overview' : ''}`}
      data-readable-zoom={READABLE_ZOOM}
      data-testid="canvas"
      data-level={overview ? 'overview' : 'detail'}
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropTarget(null);
      }}
      onDrop={onDrop}
      role="region"
      aria-label="Cluster drawing"
    >
      <ActionsContext.Provider value={actions}>
        <DropTargetContext.Provider value={dropTarget}>
          <FlashContext.Provider value={flashes}>
            <ReactFlow
              nodes={flow.nodes}
              edges={flow.edges}
              nodeTypes={nodeTypes}
              colorMode={dark ? 'dark' : 'light'}
              // A reload puts the camera back where the user left it; otherwise the cluster is fitted.
              {...(savedView ? { defaultViewport: savedView } : {})}
              onMoveEnd={(_, vp) => store.getState().setViewport(vp)}
              fitViewOptions={fitOptions(padding)}
              minZoom={MIN_ZOOM}
              maxZoom={MAX_ZOOM}
              nodesDraggable={false}
              nodesConnectable={false}
              nodesFocusable={false}
              elementsSelectable={false}
              edgesFocusable={false}
              onlyRenderVisibleElements={big}
              // A click handler gives the node wrappers pointer events (React Flow sets none on
              // nodes that are neither selectable nor draggable), so pods can be clicked and dragged.
              onNodeClick={ignoreClick}
              proOptions={{ hideAttribution: false }}
            >
              <Background gap={24} size={1} />
              <Controls showInteractive={false} aria-label="Zoom and fit" />
              <MiniMap pannable zoomable nodeClassName={minimapClass} ariaLabel="Minimap of the cluster" maskStrokeWidth={1} style={MINIMAP_SIZE} />
              <FrameOnNewCluster cluster={cluster} nodes={full.nodes} keepFirst={savedView !== null} padding={padding} hasTrace={hasTrace} />
              <KeepGrownNodeInView />
              {hasTrace && (
                <Suspense fallback={null}>
                  <PacketLayer />
                  <TraceCamera keep={keep} padding={padding} follow={prefs.presentation} keepFirst={restoredTrace} />
                </Suspense>
              )}
            </ReactFlow>
          </FlashContext.Provider>
        </DropTargetContext.Provider>
      </ActionsContext.Provider>
      {/* What the canvas says about itself sits in the bar above the drawing, over no pod. */}
      <CanvasToolbar
        cluster={cluster}
        status={
          <>
            {(left > 0 || busy) && (
              <div className="canvas-chip canvas-chip--drawing" role="status" data-testid="canvas-loading">
                <span className="canvas-chip__text">{busy ?? `Drawing the cluster… ${countText(left)} more to draw`}</span>
              </div>
            )}
            <ViewChips overview={overview} padding={padding} nodes={full.nodes} />
          </>
        }
      />
      {!prefs.presentation && <Palette open={paletteOpen} onToggle={() => setPaletteOpen((o) => !o)} onKeyboardAdd={(item) => setChooser({ mode: 'add', item })} />}
      {chooser && cluster && <NodeChooser request={chooser} cluster={cluster} onChoose={onChoose} onClose={() => setChooser(null)} />}
    </div>
  );
}

const ignoreClick = () => {};
const sameViewport = (a: Viewport, b: Viewport) => Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.zoom - b.zoom) < 1e-3;
const NO_PADDING: Padding = { top: 0, right: 0, bottom: 0, left: 0 };
const MINIMAP_SIZE = { width: 150, height: 96 };
const minimapClass = (n: FlowNode) => `minimap-node minimap-node--${n.type ?? 'default'}`;

/** After a keyboard move, give focus back to the pod (its box now sits on the other node). */
function refocusPod(podKey: string) {
  const [ns, ...rest] = podKey.split('/');
  setTimeout(() => document.querySelector<HTMLElement>(`[data-testid="pod-${ns}-${rest.join('/')}"]`)?.focus(), 50);
}

/**
 * The drawing handed to React Flow: `flow` itself, or, when it brings more than STEP_NODES nodes
 * React Flow has not drawn, a part that grows by STEP_NODES a frame (progressive.ts); `left`
 * counts the nodes still to come.
 */
function useProgressive(flow: Flow): { flow: Flow; left: number } {
  const drawn = useRef<ReadonlySet<string>>(new Set());
  const [run, setRun] = useState<{ target: Flow; base: ReadonlySet<string>; fresh: number } | null>(null);
  let current = run;
  if (!current || current.target !== flow) {
    current = { target: flow, base: drawn.current, fresh: freshCount(flow, drawn.current) > STEP_NODES ? STEP_NODES : Infinity };
    setRun(current);
  }
  const { base, fresh } = current;
  const part = useMemo(() => (fresh === Infinity ? { flow, rest: 0 } : partialFlow(flow, base, fresh)), [flow, base, fresh]);
  useEffect(() => {
    drawn.current = new Set(part.flow.nodes.map((n) => n.id));
    if (!part.rest) return;
    const id = requestAnimationFrame(() => setRun((r) => (r && r.target === flow ? { ...r, fresh: r.fresh + STEP_NODES } : r)));
    return () => cancelAnimationFrame(id);
  }, [part, flow]);
  return { flow: part.flow, left: part.rest };
}

/** Pods whose IP changed with the last cluster change, for FLASH_MS. */
function useIpFlashes(cluster: Cluster | null): ReadonlyMap<string, IpFlash> {
  const prev = useRef<Cluster | null>(null);
  const [flashes, setFlashes] = useState<ReadonlyMap<string, IpFlash>>(new Map());
  useEffect(() => {
    const changes = ipChanges(prev.current, cluster);
    prev.current = cluster;
    if (!changes.size) return;
    setFlashes(changes);
    const t = setTimeout(() => setFlashes(new Map()), FLASH_MS);
    return () => clearTimeout(t);
  }, [cluster]);
  return flashes;
}

/**
 * Frame the drawing (camera.ts readableFrame) when a different cluster is shown (another
 * scenario or share link, a CNI switch, a node added or removed) and on the first load, not on
 * every edit: dropping a pod must not move the camera. A reload keeps the camera it had.
 */
function FrameOnNewCluster({ cluster, nodes, keepFirst, padding, hasTrace }: { cluster: Cluster | null; nodes: FlowNode[]; keepFirst: boolean; padding: Padding; hasTrace: boolean }) {
  const { setViewport, getViewport } = useReactFlow();
  // The whole drawing (React Flow may hold only part of a big one yet).
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const width = useFlowStore((s) => s.width);
  const height = useFlowStore((s) => s.height);
  const key = cluster ? `${cluster.config.name}|${cluster.config.cni}|${cluster.nodes.map((n) => n.meta.name).join(',')}` : '';
  // The first cluster keeps a restored camera (the page was reloaded); later ones are framed.
  const framed = useRef(keepFirst ? key : null);
  // Where this component last put the camera (a pan or zoom by the user moves it elsewhere).
  const auto = useRef<Viewport | null>(null);
  const paddingRef = useRef(padding);
  paddingRef.current = padding;
  useEffect(() => {
    if (!key || key === framed.current || !width || !height) return;
    framed.current = key;
    // After React Flow has the new nodes.
    const t = setTimeout(() => {
      const vp = frameCluster(nodesRef.current, width, height, paddingRef.current);
      if (vp) void setViewport(vp);
      auto.current = vp;
    }, 0);
    return () => clearTimeout(t);
  }, [key, width, height, setViewport]);
  // The canvas settled at a new size (the dock collapsed or resized, the side panel hidden or
  // shown: a laptop user making room): the cluster is framed again in it. With a trace on screen
  // the trace's camera (TraceCamera) reframes instead.
  const settled = useSettledSize();
  const sizeBefore = useRef(settled);
  const traceRef = useRef(hasTrace);
  traceRef.current = hasTrace;
  useEffect(() => {
    const before = sizeBefore.current;
    sizeBefore.current = settled;
    if (!before.width || !before.height || !settled.width || !settled.height) return;
    if (before.width === settled.width && before.height === settled.height) return;
    if (traceRef.current) return;
    // Framed again: a view of the whole cluster, or the camera's own frame of a small one. A part
    // the user panned or zoomed to stays where it is, and so does a big (windowed) cluster's.
    const all = drawingBounds(nodesRef.current);
    const now = getViewport();
    const whole = !!all && onScreen(all, now, before.width, before.height, NO_PADDING, -0.02);
    const untouched = !!auto.current && nodesRef.current.length <= WINDOW_ABOVE && sameViewport(now, auto.current);
    if (!whole && !untouched) return;
    const vp = frameCluster(nodesRef.current, settled.width, settled.height, paddingRef.current);
    if (vp) void setViewport(vp, { duration: 200 });
    auto.current = vp;
  }, [settled, setViewport, getViewport]);
  return null;
}

/**
 * What the canvas says about the camera: part of the cluster is off-screen (with Fit all), or
 * the overview level counts pods instead of drawing them (with a way back to readable text).
 */
function ViewChips({ overview, padding, nodes }: { overview: boolean; padding: Padding; nodes: FlowNode[] }) {
  const { fitView, zoomTo } = useReactFlow();
  const cluster = useApp((s) => s.cluster);
  const all = useMemo(() => (cluster ? drawingBounds(nodes) : null), [cluster, nodes]);
  // A boolean, so a pan (the camera following the packet) re-renders the chip only when it appears or goes.
  const partial = useFlowStore(useCallback((s) => !!all && s.width > 0 && !onScreen(all, { x: s.transform[0], y: s.transform[1], zoom: s.transform[2] }, s.width, s.height, NO_PADDING), [all]));
  if (overview)
    return (
      <div className="canvas-chip" role="status" data-testid="overview-chip" title="Zoomed out: each node shows how many pods it runs">
        <ChipText main="Zoomed out" tail=": each node shows how many pods it runs." short="" />{' '}
        <button type="button" className="button button--small" onClick={() => void zoomTo(READABLE_ZOOM, { duration: 200 })}>
          Zoom in to see pods
        </button>
      </div>
    );
  if (!partial) return null;
  return (
    <div className="canvas-chip" role="status" data-testid="partial-chip" title="Part of the cluster is off-screen: drag to pan, or fit it all in view">
      <ChipText main="Part of the cluster is off-screen" tail=": drag to pan, or" short="Part off-screen:" />{' '}
      <button type="button" className="button button--small" onClick={() => void fitView({ ...fitOptions(padding), duration: 200 })} data-testid="fit-all">
        Fit all
      </button>
    </div>
  );
}

/**
 * A chip's words as long as the bar has room for (canvas.css): `main` and its `tail`, `main`
 * alone, or `short`. What is not shown is not rendered for screen readers either.
 */
function ChipText({ main, tail, short }: { main: string; tail: string; short: string }) {
  return (
    <span className="canvas-chip__text">
      <span className="canvas-chip__full">
        {main}
        <span className="canvas-chip__tail">{tail}</span>
        <span className="canvas-chip__colon">:</span>
      </span>
      {short && <span className="canvas-chip__short">{short}</span>}
    </span>
  );
}

/** Show or fold the system pods (a count per node box when folded). */
export const toggleSystemPods = (show: boolean) => setPrefs({ showSystem: show });
