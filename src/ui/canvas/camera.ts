/**
 * Where the camera goes: pure arithmetic over flow boxes and the canvas size, so the rules can
 * be tested without a browser.
 *
 * The rule that matters on a laptop: the app never picks a zoom at which pod names and IPs are
 * drawn below MIN_TEXT_PX on screen. Fitting the whole cluster is tried first; when it would
 * need a smaller zoom, the camera stays at READABLE_ZOOM around what matters (the trace's
 * endpoints, else the middle of the drawing) and the canvas says that part of the cluster is
 * off-screen (a "Fit all" button does the rest, at the user's request).
 */
import type { FlowNode } from '../toFlow';
import type { Rect } from './layout';

/** The smallest on-screen text the app zooms to by itself (WCAG has no minimum; 10 px is the floor the classroom issue asks for). */
export const MIN_TEXT_PX = 10;
/** The smallest text a pod box draws that must stay readable (its IP; canvas.css `.flow-pod__ip`). */
export const POD_TEXT_PX = 14.5;
/** The zoom at which a pod's IP is MIN_TEXT_PX on screen, with 2% to spare for rounding. */
export const READABLE_ZOOM = (MIN_TEXT_PX / POD_TEXT_PX) * 1.02;
/** The closest a new trace's endpoints are framed (outside presentation): some of their surroundings stay in view. */
export const TRACE_MAX_ZOOM = 0.85;
/** The largest zoom the app picks by itself (a small cluster is not blown up). */
export const MAX_AUTO_ZOOM = 1.25;

export interface Padding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** The box around some rects; null for none. */
export function union(rects: readonly Rect[]): Rect | null {
  if (!rects.length) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.width);
    y1 = Math.max(y1, r.y + r.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The zoom that fits `box` into the canvas inside `pad`. */
export function fitZoom(box: Rect, width: number, height: number, pad: Padding): number {
  const w = Math.max(1, width - pad.left - pad.right);
  const h = Math.max(1, height - pad.top - pad.bottom);
  return Math.min(w / Math.max(1, box.width), h / Math.max(1, box.height));
}

/** The viewport that puts flow point `c` at the centre of the padded canvas at `zoom`. */
export function centerOn(c: { x: number; y: number }, zoom: number, width: number, height: number, pad: Padding): Viewport {
  const cx = pad.left + (width - pad.left - pad.right) / 2;
  const cy = pad.top + (height - pad.top - pad.bottom) / 2;
  return { x: cx - c.x * zoom, y: cy - c.y * zoom, zoom };
}

const middle = (r: Rect) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });

/**
 * The camera for a drawing whose top-level boxes union to `all`: all of it when it fits at a
 * readable zoom; otherwise READABLE_ZOOM, framing `focus` when given (the trace's endpoints) and
 * centred on it, else centred on the drawing. `partial` says the whole drawing is not on screen.
 */
export function readableFrame(all: Rect, focus: Rect | null, width: number, height: number, pad: Padding, floor = READABLE_ZOOM): { viewport: Viewport; partial: boolean } {
  const whole = fitZoom(all, width, height, pad);
  if (whole >= floor) return { viewport: centerOn(middle(all), Math.min(whole, MAX_AUTO_ZOOM), width, height, pad), partial: false };
  if (focus) {
    const z = Math.max(floor, Math.min(fitZoom(focus, width, height, pad), MAX_AUTO_ZOOM));
    return { viewport: centerOn(middle(focus), z, width, height, pad), partial: true };
  }
  return { viewport: centerOn(middle(all), floor, width, height, pad), partial: true };
}

/**
 * The camera for a cluster with no trace: all of it when readable; else its node network and
 * node boxes (`nodes`: the Services band above may be cut) when those fit; else READABLE_ZOOM,
 * centred across the nodes and with the top of the node network at the top of the canvas (the
 * node headers and the first pods are on screen; the rest is below).
 */
export function clusterFrame(all: Rect, nodes: Rect, width: number, height: number, pad: Padding): { viewport: Viewport; partial: boolean } {
  const whole = readableFrame(all, null, width, height, pad);
  if (!whole.partial) return whole;
  const z = fitZoom(nodes, width, height, pad);
  if (z >= READABLE_ZOOM) return { viewport: centerOn(middle(nodes), Math.min(z, MAX_AUTO_ZOOM), width, height, pad), partial: true };
  const c = centerOn(middle(nodes), READABLE_ZOOM, width, height, pad);
  return { viewport: { ...c, y: pad.top - nodes.y * READABLE_ZOOM }, partial: true };
}

/**
 * The camera for a new trace whose endpoints' boxes union to `ends`: the cluster's frame
 * (`frame`) when what matters is on screen in it, else that at a readable zoom (no closer than
 * TRACE_MAX_ZOOM: the packet's neighbours stay in view), else the source (`source`).
 * What matters: the endpoints and, when given, their node boxes' headers (`headers`: the node's
 * name and IP, above the pods) — framed too when they fit at READABLE_ZOOM; when they don't, the
 * pods' readable zoom wins and the camera pans as far towards the headers as keeps the endpoints
 * (or the source) in view.
 */
export function traceFrame(frame: Viewport, ends: Rect, source: Rect, width: number, height: number, pad: Padding, headers: Rect | null = null): Viewport {
  const want = headers ? (union([ends, headers]) as Rect) : ends;
  if (onScreen(want, frame, width, height, pad)) return frame;
  const z = Math.min(TRACE_MAX_ZOOM, fitZoom(want, width, height, pad));
  if (z >= READABLE_ZOOM) return centerOn(middle(want), z, width, height, pad);
  if (headers && onScreen(ends, frame, width, height, pad) && frame.zoom >= READABLE_ZOOM) return towardsTop(frame, want, ends, height, pad);
  const ze = Math.min(TRACE_MAX_ZOOM, fitZoom(ends, width, height, pad));
  if (ze >= READABLE_ZOOM) return towardsTop(centerOn(middle(ends), ze, width, height, pad), want, ends, height, pad);
  return towardsTop(centerOn(middle(source), READABLE_ZOOM, width, height, pad), want, source, height, pad);
}

/** `vp` panned vertically to bring `want`'s top to the canvas top, as far as keeps `keep`'s bottom on screen (`keep`'s top wins when it is taller than the canvas). */
function towardsTop(vp: Viewport, want: Rect, keep: Rect, height: number, pad: Padding): Viewport {
  const topAligned = pad.top - want.y * vp.zoom;
  const keepBottom = height - pad.bottom - (keep.y + keep.height) * vp.zoom;
  const keepTop = pad.top - keep.y * vp.zoom;
  return { ...vp, y: Math.max(keepTop, Math.min(topAligned, keepBottom)) };
}

/** The header strip of a node box (its name, IP, PodCIDR: layout.ts NODE_HEADER_H tall). */
export function headerOf(node: Rect, headerH: number): Rect {
  return { x: node.x, y: node.y, width: node.width, height: Math.min(headerH, node.height) };
}

/** Flow rect `r` lies inside the padded canvas (shrunk by `margin` of its size on each side) at viewport `vp`. */
export function onScreen(r: Rect, vp: Viewport, width: number, height: number, pad: Padding, margin = 0): boolean {
  const left = pad.left + (width - pad.left - pad.right) * margin;
  const right = width - pad.right - (width - pad.left - pad.right) * margin;
  const top = pad.top + (height - pad.top - pad.bottom) * margin;
  const bottom = height - pad.bottom - (height - pad.top - pad.bottom) * margin;
  const x0 = r.x * vp.zoom + vp.x;
  const y0 = r.y * vp.zoom + vp.y;
  return x0 >= left && y0 >= top && x0 + r.width * vp.zoom <= right && y0 + r.height * vp.zoom <= bottom;
}

/** The top-level boxes' union (children sit inside their parents); `nodesOnly`: the node network and node boxes. */
export function drawingBounds(nodes: readonly FlowNode[], nodesOnly = false) {
  const top = nodes.filter((n) => !n.parentId && (!nodesOnly || n.type === 'k8sNode' || n.type === 'segment'));
  return union(top.map((n) => ({ x: n.position.x, y: n.position.y, width: n.width ?? 0, height: n.height ?? 0 })));
}

/**
 * The camera for the whole cluster (camera.ts clusterFrame), from what React Flow draws;
 * `nodesOnly` leaves the Services band out (presentation: the packet's path is in the nodes,
 * and the camera follows it when it goes to a Service).
 */
export function frameCluster(nodes: readonly FlowNode[], width: number, height: number, padding: Padding, nodesOnly = false) {
  const core = drawingBounds(nodes, true);
  const all = nodesOnly ? core : drawingBounds(nodes);
  return all && core ? clusterFrame(all, core, width, height, padding).viewport : null;
}
