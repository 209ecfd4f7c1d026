/**
 * The camera during a trace (loaded with the packet layer). A new trace is framed when its
 * source and destination (with their node boxes' headers) are not all on screen at a readable
 * zoom: all when they fit, else the endpoints, else the source (camera.ts traceFrame); it is
 * framed again once the canvas settles at a new size (settledSize.ts), the current hop kept. With `follow` (presentation mode) the camera then pans to
 * keep the packet away from the canvas's edges as it moves, so the class always sees where the
 * packet is.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useReactFlow, useStoreApi as useFlowStoreApi } from '@xyflow/react';
import { useApp } from '../StoreContext';
import { flattenHops } from '../trace/playback';
import { centerOn, frameCluster, headerOf, onScreen, READABLE_ZOOM, traceFrame, union, type Padding } from './camera';
import { NODE_HEADER_H, type Rect } from './layout';
import { useSettledSize } from './settledSize';
import { anchorBoxesOf, anchorOf } from './PacketLayer';
import { hopPoints } from './packetGeometry';
import type { FlowNode } from '../toFlow';

/** Pan when the packet comes this close to the edge (a share of the canvas on each side). */
const FOLLOW_MARGIN = 0.15;
const MOVE_MS = 350;

/** `keepFirst`: the first trace was restored with the page's saved camera, which it keeps. */
export function TraceCamera({ keep, padding, follow, keepFirst = false }: { keep: string; padding: Padding; follow: boolean; keepFirst?: boolean }) {
  const trace = useApp((s) => s.trace);
  const cursor = useApp((s) => s.cursor);
  const hops = useMemo(() => flattenHops(trace), [trace]);
  const flowStore = useFlowStoreApi();
  const { setViewport, setCenter } = useReactFlow();
  const framedTrace = useRef<unknown>(keepFirst ? trace : null);
  const framedKey = useRef('');
  const pad = useRef(padding);
  pad.current = padding;

  // Frame the source and the destination (and their node boxes' headers) when a new trace
  // arrives (after the drawing has the pods it keeps for it: `keep` changes with the trace), when
  // presentation mode is switched on, and when the canvas has settled at a new size (the dock
  // collapsed or resized, the side panel, full screen): then the current hop stays in view too.
  const { width: canvasW, height: canvasH } = useSettledSize();
  const cursorRef = useRef(cursor);
  cursorRef.current = cursor;
  useEffect(() => {
    const key = `${follow ? 'follow' : 'desk'} ${canvasW}x${canvasH}`;
    if (!trace || !canvasW || (framedTrace.current === trace && framedKey.current === key)) return;
    const sized = framedTrace.current === trace && framedKey.current !== '';
    const t = setTimeout(() => {
      const { nodeLookup, nodes, width, height, transform } = flowStore.getState();
      const boxes = anchorBoxesOf(nodeLookup, hops);
      const legEnd = trace.hops.length - 1;
      const endIdx = [0, legEnd].filter((i) => boxes[i] && !boxes[i]!.wide);
      const ends = endIdx.map((i) => boxes[i]!);
      const focus = union(ends);
      if (!focus || !width) return;
      const first = !follow && framedKey.current === '' && framedTrace.current === trace; // restored with the page's camera
      framedTrace.current = trace;
      framedKey.current = key;
      if (first) return;
      const headers = union(endIdx.map((i) => headerBoxOf(nodeLookup, anchorOf(hops[i]!.hop, new Set(nodeLookup.keys())))).filter((r): r is Rect => !!r));
      const vp = { x: transform[0], y: transform[1], zoom: transform[2] };
      const want = headers ? union([focus, headers])! : focus;
      // A new trace at a desk: a readable camera that already shows it is left alone.
      if (!follow && !sized && vp.zoom >= READABLE_ZOOM && onScreen(want, vp, width, height, pad.current)) return;
      const frame = frameCluster(nodes as FlowNode[], width, height, pad.current, follow) ?? vp;
      let next = traceFrame(frame, focus, ends[0]!, width, height, pad.current, headers);
      // After a resize, mid-trace: the current hop stays on screen (at the framing's zoom).
      const at = cursorRef.current > 0 ? hopPoints(boxes)[cursorRef.current] : undefined;
      if (sized && at && !onScreen({ x: at.x, y: at.y, width: 0, height: 0 }, next, width, height, pad.current)) next = centerOn(at, next.zoom, width, height, pad.current);
      void setViewport(next, { duration: MOVE_MS });
    }, 0);
    return () => clearTimeout(t);
  }, [trace, hops, keep, follow, canvasW, canvasH, flowStore, setViewport]);

  // Keep the packet on screen as it moves (presentation mode).
  useEffect(() => {
    // Only in presentation mode: panning on every hop costs frames on a big cluster (bench:ui),
    // and at a desk the user moves the camera.
    if (!follow || !trace || cursor < 0 || cursor === 0) return;
    const { nodeLookup, width, height, transform } = flowStore.getState();
    const at = hopPoints(anchorBoxesOf(nodeLookup, hops))[cursor];
    if (!at || !width) return;
    const zoom = transform[2];
    const vp = { x: transform[0], y: transform[1], zoom };
    const dot = { x: at.x - 12 / zoom, y: at.y - 12 / zoom, width: 24 / zoom, height: 24 / zoom };
    if (onScreen(dot, vp, width, height, pad.current, follow ? FOLLOW_MARGIN : 0)) return;
    void setCenter(at.x, at.y, { zoom, duration: MOVE_MS });
  }, [cursor, trace, hops, follow, flowStore, setCenter]);

  return null;
}

type NodeLookup = ReturnType<ReturnType<typeof useFlowStoreApi>['getState']>['nodeLookup'];

/** The header strip of the node box that holds the drawn node `id` (a pod or a device), in flow coordinates. */
function headerBoxOf(lookup: NodeLookup, id: string | undefined): Rect | null {
  const parent = id ? lookup.get(id)?.parentId : undefined;
  const n = parent ? lookup.get(parent) : undefined;
  if (!n || n.type !== 'k8sNode') return null;
  const { x, y } = n.internals.positionAbsolute;
  return headerOf({ x, y, width: n.measured.width ?? n.width ?? 0, height: n.measured.height ?? n.height ?? 0 }, NODE_HEADER_H);
}
