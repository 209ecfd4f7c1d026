/**
 * The camera during a trace (loaded with the packet layer). A new trace is framed when its
 * source and destination are not both on screen at a readable zoom: both when they fit, else
 * the source (camera.ts traceFrame). With `follow` (presentation mode) the camera then pans to
 * keep the packet away from the canvas's edges as it moves, so the class always sees where the
 * packet is.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useReactFlow, useStore as useFlowStore, useStoreApi as useFlowStoreApi } from '@xyflow/react';
import { useApp } from '../StoreContext';
import { flattenHops } from '../trace/playback';
import { frameCluster, onScreen, READABLE_ZOOM, traceFrame, union, type Padding } from './camera';
import { anchorBoxesOf } from './PacketLayer';
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
  const framedKey = useRef(keepFirst ? (follow ? '' : 'window') : '');
  const pad = useRef(padding);
  pad.current = padding;

  // Frame the source and the destination when a new trace arrives (after the drawing has the
  // pods it keeps for it: `keep` changes with the trace); in presentation mode also when it is
  // switched on and whenever the canvas changes size (full screen, the side panel).
  const canvasW = useFlowStore((s) => s.width);
  const canvasH = useFlowStore((s) => s.height);
  useEffect(() => {
    const key = follow ? `${canvasW}x${canvasH}` : 'window';
    if (!trace || (framedTrace.current === trace && framedKey.current === key)) return;
    const t = setTimeout(() => {
      const { nodeLookup, nodes, width, height, transform } = flowStore.getState();
      const boxes = anchorBoxesOf(nodeLookup, hops);
      const legEnd = trace.hops.length - 1;
      const ends = [boxes[0], boxes[legEnd]].filter((b): b is NonNullable<typeof b> => !!b && !b.wide);
      const focus = union(ends);
      if (!focus || !width) return;
      framedTrace.current = trace;
      framedKey.current = key;
      const vp = { x: transform[0], y: transform[1], zoom: transform[2] };
      if (!follow && vp.zoom >= READABLE_ZOOM && onScreen(focus, vp, width, height, pad.current)) return;
      const frame = frameCluster(nodes as FlowNode[], width, height, pad.current, follow) ?? vp;
      void setViewport(traceFrame(frame, focus, ends[0], width, height, pad.current), { duration: MOVE_MS });
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
