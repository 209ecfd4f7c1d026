/**
 * The cluster drawing: React Flow over nodes and edges derived from the engine's cluster
 * (toFlow), with the packet animation layered on top. Nothing here is stored: a new cluster
 * gives a new drawing. Edits (drop a palette pod on a node, drag a pod to another node, add or
 * remove a node) go through the store's applyCommand with the engine's commands, so they can
 * be undone and their errors are shown by the app.
 *
 * Semantic zoom: below OVERVIEW_BELOW the drawing switches to the overview level (node boxes
 * with pod counts); the geometry is the same at both levels, so nothing jumps.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, useStore as useFlowStore } from '@xyflow/react';
import { KeepGrownNodeInView } from './KeepGrownNodeInView';
import type { Cluster } from '../../engine/model/cluster';
import { edit } from '../editing';
import { useApp, useAppStoreApi } from '../StoreContext';
import type { FlowNode } from '../toFlow';
import { ActionsContext, DRAG_MIME, DropTargetContext, FlashContext, type CanvasActions, type DragPayload, type IpFlash } from './canvasContext';
import { CanvasToolbar } from './CanvasToolbar';
import { nodeBoxAt } from './hitTest';
import { ipChanges } from './ipChanges';
import { NodeChooser, type ChooserRequest } from './NodeChooser';
import { nodeTypes } from './nodeTypes';
import { PALETTE, freePodName, podManifest } from './palette';
import { Palette } from './Palette';
import { flowOf } from './flowOf';
import { useResolvedDark, useViewPrefs } from './viewPrefs';
import { MAX_ZOOM, MIN_ZOOM } from '../state/limits';
import './canvas.css';

/** Room for the palette on the left and the toolbar on top. */
const FIT = { padding: { top: '64px', left: '214px', right: '24px', bottom: '24px' } } as const;
/** Zoom below which only node boxes and pod counts are drawn. */
export const OVERVIEW_BELOW = 0.4;
/** How long a changed pod IP stays on show. */
const FLASH_MS = 5000;

// The packet animation is only drawn while there is a trace; it loads with the first one.
const PacketLayer = lazy(() => import('./PacketLayer').then((m) => ({ default: m.PacketLayer })));

export function ClusterCanvas() {
  // The provider starts with the drawing, so the first render already holds the cluster's boxes
  // (an empty provider would draw nothing, then everything one render later).
  const cluster = useApp((s) => s.cluster);
  const [first] = useState(() => flowOf(cluster, 'detail', null));
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
  const flow = flowOf(cluster, overview ? 'overview' : 'detail', focusService);
  const [prefs] = useViewPrefs();
  const dark = useResolvedDark(prefs.theme);
  const { screenToFlowPosition } = useReactFlow();
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const [chooser, setChooser] = useState<ChooserRequest | null>(null);
  const flashes = useIpFlashes(cluster);
  const [savedView] = useState(() => store.getState().viewport);
  const hasTrace = useApp((s) => s.trace !== null);

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

  const nodeUnder = (e: DragEvent): string | undefined => nodeBoxAt(flow, screenToFlowPosition({ x: e.clientX, y: e.clientY }));
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
              fitView={!savedView}
              {...(savedView ? { defaultViewport: savedView } : {})}
              onMoveEnd={(_, vp) => store.getState().setViewport(vp)}
              fitViewOptions={FIT}
              minZoom={MIN_ZOOM}
              maxZoom={MAX_ZOOM}
              nodesDraggable={false}
              nodesConnectable={false}
              nodesFocusable={false}
              elementsSelectable={false}
              edgesFocusable={false}
              onlyRenderVisibleElements={flow.nodes.length > 400}
              // A click handler gives the node wrappers pointer events (React Flow sets none on
              // nodes that are neither selectable nor draggable), so pods can be clicked and dragged.
              onNodeClick={ignoreClick}
              proOptions={{ hideAttribution: false }}
            >
              <Background gap={24} size={1} />
              <Controls showInteractive={false} aria-label="Zoom and fit" />
              <MiniMap pannable zoomable nodeClassName={minimapClass} ariaLabel="Minimap of the cluster" maskStrokeWidth={1} style={MINIMAP_SIZE} />
              <FitOnNewCluster cluster={cluster} keepFirst={savedView !== null} />
              <KeepGrownNodeInView />
              {hasTrace && (
                <Suspense fallback={null}>
                  <PacketLayer />
                </Suspense>
              )}
            </ReactFlow>
          </FlashContext.Provider>
        </DropTargetContext.Provider>
      </ActionsContext.Provider>
      <CanvasToolbar cluster={cluster} />
      <Palette onKeyboardAdd={(item) => setChooser({ mode: 'add', item })} />
      {chooser && cluster && <NodeChooser request={chooser} cluster={cluster} onChoose={onChoose} onClose={() => setChooser(null)} />}
    </div>
  );
}

const ignoreClick = () => {};
const MINIMAP_SIZE = { width: 150, height: 96 };
const minimapClass = (n: FlowNode) => `minimap-node minimap-node--${n.type ?? 'default'}`;

/** After a keyboard move, give focus back to the pod (its box now sits on the other node). */
function refocusPod(podKey: string) {
  const [ns, ...rest] = podKey.split('/');
  setTimeout(() => document.querySelector<HTMLElement>(`[data-testid="pod-${ns}-${rest.join('/')}"]`)?.focus(), 50);
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
 * Fit the view when a different cluster is shown (another scenario, a node added or removed),
 * not on every edit: dropping a pod must not move the camera.
 */
function FitOnNewCluster({ cluster, keepFirst }: { cluster: Cluster | null; keepFirst: boolean }) {
  const { fitView } = useReactFlow();
  const key = cluster ? `${cluster.config.name}|${cluster.config.cni}|${cluster.nodes.map((n) => n.meta.name).join(',')}` : '';
  // The first cluster keeps a restored camera (the page was reloaded); later ones are fitted.
  const first = useRef(keepFirst ? key : null);
  useEffect(() => {
    if (!key || key === first.current) return;
    first.current = null;
    // After React Flow has the new nodes.
    const t = setTimeout(() => void fitView(FIT), 0);
    return () => clearTimeout(t);
  }, [key, fitView]);
  return null;
}
