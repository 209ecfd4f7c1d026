/**
 * The packet animation: a <canvas> laid over React Flow (not moving DOM nodes). The packet
 * glides from the anchor of one hop to the next; the current leg's trail and a halo around
 * the current device are drawn with it. Positions come from React Flow's node lookup
 * (absolute flow coordinates) and are mapped to the screen with the viewport transform, so
 * panning and zooming keep the packet on its device.
 *
 * A dropped packet stops under a ✕ marker with the reason; the label says request or reply
 * in words (not only by colour). With `prefers-reduced-motion` the packet steps from hop to
 * hop instead of gliding.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useStore as useFlowStore, useStoreApi as useFlowStoreApi, useViewport } from '@xyflow/react';
import { useApp } from '../StoreContext';
import type { TraceHop } from '../../engine/trace/traceTypes';
import { flowIds } from '../toFlow';
import { flattenHops, hopAnchorId, type PlayHop } from '../trace/playback';
import { dropMarkOf, type DropMark } from '../trace/dropMark';
import { usePrefersReducedMotion } from './viewPrefs';
import { easeInOut, hopPoints, lerp, toScreen, trail, type AnchorBox, type Point, type Viewport } from './packetGeometry';

const GLIDE_MS = 420;

/** The drawn node a hop happens at; hops outside the cluster (`ext/client`) at the outside-world boxes. */
export function anchorOf(hop: TraceHop, drawn: ReadonlySet<string>): string | undefined {
  const id = hopAnchorId(hop, drawn);
  if (id) return id;
  if (hop.netns.startsWith('ext/')) {
    const ext = flowIds.external(hop.netns.slice(4));
    if (drawn.has(ext)) return ext;
  }
  return undefined;
}

type NodeLookup = ReturnType<ReturnType<typeof useFlowStoreApi>['getState']>['nodeLookup'];

/** Absolute flow boxes of the nodes the hops are drawn at (read live, so they follow the layout). */
export function anchorBoxesOf(lookup: NodeLookup, list: PlayHop[]): (AnchorBox | undefined)[] {
  const drawn = new Set(lookup.keys());
  return list.map((h) => {
    const id = anchorOf(h.hop, drawn);
    const n = id ? lookup.get(id) : undefined;
    if (!n) return undefined;
    const { x, y } = n.internals.positionAbsolute;
    return { x, y, width: n.measured.width ?? n.width ?? 0, height: n.measured.height ?? n.height ?? 0, wide: n.type === 'segment' };
  });
}

export function PacketLayer() {
  const reduced = usePrefersReducedMotion();
  const MOVE_MS = reduced ? 0 : GLIDE_MS;
  const result = useApp((s) => s.trace);
  const cursor = useApp((s) => s.cursor);
  const viewport = useViewport();
  const width = useFlowStore((s) => s.width);
  const height = useFlowStore((s) => s.height);
  const flowStore = useFlowStoreApi();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const hops = useMemo(() => flattenHops(result), [result]);

  // Where the packet is drawn now (flow coordinates) and where it is heading.
  const motion = useRef<{ from: Point | null; to: Point | null; start: number }>({ from: null, to: null, start: 0 });
  const frame = useRef(0);

  const anchorBoxes = (list: PlayHop[]) => anchorBoxesOf(flowStore.getState().nodeLookup, list);

  // A new cursor: start moving from wherever the packet is drawn now.
  useEffect(() => {
    const target = cursor >= 0 ? hopPoints(anchorBoxes(hops))[cursor] : undefined;
    const m = motion.current;
    const now = performance.now();
    const current = m.from && m.to && MOVE_MS > 0 ? lerp(m.from, m.to, easeInOut((now - m.start) / MOVE_MS)) : m.to;
    motion.current = { from: current ?? target ?? null, to: target ?? null, start: now };
  }, [cursor, hops]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    if (hops.length === 0) {
      // Nothing to draw: drop the backing store (no full-size canvas, no style read while panning).
      if (canvas.width) canvas.width = canvas.height = 0;
      return;
    }
    const boxes = anchorBoxes(hops);
    // The trail up to the current hop is the same every frame of a glide: computed once here.
    const cur = hops[cursor];
    const legStart = cur ? hops.findIndex((h) => h.leg === cur.leg) : 0;
    const trailPoints = trail(hopPoints(boxes).slice(legStart, cursor + 1), cursor - legStart);
    // Read once per change, not per frame: getComputedStyle forces a style recalculation.
    const colors = packetColors(canvas);
    const draw = () => {
      const moving = paint(canvas, width, height, viewport, hops, cursor, boxes, trailPoints, motion.current, MOVE_MS, dropMarkOf(cur, result), colors);
      frame.current = moving ? requestAnimationFrame(draw) : 0;
    };
    draw();
    return () => cancelAnimationFrame(frame.current);
  }, [width, height, viewport, hops, cursor, MOVE_MS, result]);

  // What is drawn, in the DOM too (tests and screen readers read no canvas): the device the
  // current hop is drawn at, and the drop label when the packet died there.
  const current = hops[cursor];
  const drop = dropMarkOf(current, result);
  const anchor = current ? anchorOf(current.hop, new Set(flowStore.getState().nodeLookup.keys())) : undefined;
  return (
    <>
      <canvas ref={canvasRef} className="packet-layer" data-testid="packet-layer" data-anchor={anchor ?? ''} data-drop={drop?.label ?? ''} aria-hidden />
      {drop && (
        <p className="sr-only" role="status" data-testid="packet-drop">
          {drop.label}
        </p>
      )}
    </>
  );
}

/** Draw one frame; true while the packet is still moving. */
function paint(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  vp: Viewport,
  hops: PlayHop[],
  cursor: number,
  boxes: (AnchorBox | undefined)[],
  trailPoints: Point[],
  motion: { from: Point | null; to: Point | null; start: number },
  moveMs: number,
  drop: DropMark | undefined,
  colors: PacketColors,
): boolean {
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return false;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const cur = hops[cursor];
  if (!cur || !motion.to) return false;

  const { encapColor, dropColor, labelBg, labelFg } = colors;
  const color = cur.leg === 'request' ? colors.request : colors.reply;

  // The current leg's trail, up to the current hop.
  const path = trailPoints.map((p) => toScreen(p, vp));
  if (path.length > 1) {
    ctx.save();
    ctx.strokeStyle = color;
    ctx.globalAlpha = 0.55;
    ctx.lineWidth = 3;
    ctx.setLineDash([8, 6]);
    ctx.lineJoin = 'round';
    ctx.beginPath();
    path.forEach((p, i) => (i ? ctx.lineTo(p.x, p.y) : ctx.moveTo(p.x, p.y)));
    ctx.stroke();
    ctx.restore();
  }

  // A halo around the device (or pod) the current hop is at.
  const box = boxes[cursor];
  if (box && !box.wide) {
    const tl = toScreen(box, vp);
    ctx.save();
    ctx.strokeStyle = drop ? dropColor : color;
    ctx.lineWidth = 2.5;
    roundRect(ctx, tl.x - 4, tl.y - 4, box.width * vp.zoom + 8, box.height * vp.zoom + 8, 10);
    ctx.stroke();
    ctx.restore();
  }

  // The packet itself.
  const now = performance.now();
  const t = motion.from && moveMs > 0 ? easeInOut((now - motion.start) / moveMs) : 1;
  const at = toScreen(motion.from ? lerp(motion.from, motion.to, t) : motion.to, vp);
  // Where the packet is drawn (CSS px in the canvas), for tests and tools that read the page.
  canvas.dataset.packet = `${Math.round(at.x)},${Math.round(at.y)}`;
  const r = Math.max(5, Math.min(10, 8 * vp.zoom));
  const encap = cur.hop.packet.encap;
  ctx.save();
  if (encap) {
    ctx.strokeStyle = encapColor;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(at.x, at.y, r + 5, 0, Math.PI * 2);
    ctx.stroke();
  }
  ctx.fillStyle = drop ? dropColor : color;
  ctx.beginPath();
  ctx.arc(at.x, at.y, r, 0, Math.PI * 2);
  ctx.fill();

  // The last hop of a leg that was not delivered is where the packet died: a ✕ and who dropped it.
  const dropped = !!drop && t >= 1;
  if (dropped) drawDropMarker(ctx, at, r, dropColor);
  const leg = cur.leg === 'request' ? '→ request' : '← reply';
  const label = dropped
    ? drop.label
    : `${leg} · ${cur.hop.packet.proto.toUpperCase()} ${cur.hop.packet.size} B${encap ? ` · ${encap.type.toUpperCase()}` : ''}`;
  // The label's size comes from the style sheet (presentation mode enlarges it for the back row).
  const fs = colors.labelPx;
  const lh = Math.round(fs * 1.65);
  ctx.font = `600 ${fs}px ui-sans-serif, system-ui, sans-serif`;
  const w = ctx.measureText(label).width + fs;
  // Label to the right of the packet, or to its left near the canvas edge.
  const lx = at.x + r + 9 + w <= width - 4 ? at.x + r + 9 : at.x - r - 9 - w;
  const ly = at.y - lh / 2;
  ctx.globalAlpha = 0.92;
  ctx.fillStyle = labelBg;
  roundRect(ctx, lx, ly, w, lh, 6);
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.strokeStyle = dropped ? dropColor : encap ? encapColor : color;
  ctx.lineWidth = dropped ? 2 : 1;
  ctx.stroke();
  ctx.fillStyle = labelFg;
  ctx.fillText(label, lx + fs / 2, ly + lh / 2 + fs * 0.36);
  ctx.restore();
  return t < 1;
}

interface PacketColors {
  request: string;
  reply: string;
  encapColor: string;
  dropColor: string;
  labelBg: string;
  labelFg: string;
  /** Font size of the packet's label, px (`--packet-label-px`). */
  labelPx: number;
}

function packetColors(el: Element): PacketColors {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    request: v('--packet-request', '#0072b2'),
    reply: v('--packet-reply', '#e69f00'),
    encapColor: v('--packet-encap', '#cc79a7'),
    dropColor: v('--packet-drop', '#d55e00'),
    labelBg: v('--surface', '#fff'),
    labelFg: v('--text', '#111'),
    labelPx: Number.parseFloat(v('--packet-label-px', '12')) || 12,
  };
}

/** A ✕ over the packet where it was dropped, so the drop is told by a symbol and not by colour alone. */
function drawDropMarker(ctx: CanvasRenderingContext2D, at: Point, r: number, color: string) {
  const k = r + 7;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 4;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(at.x - k, at.y - k);
  ctx.lineTo(at.x + k, at.y + k);
  ctx.moveTo(at.x + k, at.y - k);
  ctx.lineTo(at.x - k, at.y + k);
  ctx.stroke();
  ctx.restore();
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number) {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}
