/**
 * Pure geometry for the packet animation: flow coordinates to screen, easing between two
 * anchors, and the trail of the current leg. Kept apart from the canvas so it is testable.
 */
export interface Point {
  x: number;
  y: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** React Flow's transform: screen = flow * zoom + pan. */
export function toScreen(p: Point, vp: Viewport): Point {
  return { x: p.x * vp.zoom + vp.x, y: p.y * vp.zoom + vp.y };
}

export function easeInOut(t: number): number {
  const c = Math.max(0, Math.min(1, t));
  return c < 0.5 ? 2 * c * c : 1 - (-2 * c + 2) ** 2 / 2;
}

export function lerp(a: Point, b: Point, t: number): Point {
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}

/** The anchors a leg has visited up to and including `upTo`, without consecutive repeats. */
export function trail(anchors: (Point | undefined)[], upTo: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i <= upTo && i < anchors.length; i++) {
    const p = anchors[i];
    if (!p) continue;
    const last = out[out.length - 1];
    if (!last || last.x !== p.x || last.y !== p.y) out.push(p);
  }
  return out;
}

export interface AnchorBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The node network: a long bar, so the packet crosses it between its neighbours instead of at its centre. */
  wide?: boolean;
}

const centerOf = (b: AnchorBox): Point => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

/**
 * Where the packet is drawn at each hop: the centre of its anchor; on the node network, at
 * the switch's height halfway between the hops before and after it (sender's NIC and
 * receiver's device), clamped to the switch.
 */
export function hopPoints(boxes: (AnchorBox | undefined)[]): (Point | undefined)[] {
  const near = (from: number, dir: -1 | 1): Point | undefined => {
    for (let i = from + dir; i >= 0 && i < boxes.length; i += dir) {
      const b = boxes[i];
      if (b && !b.wide) return centerOf(b);
    }
    return undefined;
  };
  return boxes.map((b, i) => {
    if (!b) return undefined;
    if (!b.wide) return centerOf(b);
    const xs = [near(i, -1), near(i, 1)].filter((p): p is Point => !!p).map((p) => p.x);
    const x = xs.length ? xs.reduce((a, v) => a + v, 0) / xs.length : b.x + b.width / 2;
    return { x: Math.max(b.x, Math.min(b.x + b.width, x)), y: b.y + b.height / 2 };
  });
}

/** The packet's radius on screen (px) at `zoom`: it shrinks with the drawing, within 5–10 px. */
export function packetRadius(zoom: number): number {
  return Math.max(5, Math.min(10, 8 * zoom));
}

export type LabelPlace = 'right' | 'left' | 'below' | 'above';
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
/** The gap between the packet's dot and its label (px; canvas.css `.packet__label`). */
export const LABEL_GAP = 9;

/** The screen box of a `w`×`h` label placed on side `side` of a packet of radius `r` at screen point (x, y) (canvas.css `.packet--*`). */
export function labelBox(side: LabelPlace, x: number, y: number, r: number, w: number, h: number): Box {
  switch (side) {
    case 'right':
      return { x: x + r + LABEL_GAP, y: y - h / 2, width: w, height: h };
    case 'left':
      return { x: x - r - LABEL_GAP - w, y: y - h / 2, width: w, height: h };
    case 'below':
      return { x: x - w / 2, y: y + r + LABEL_GAP / 2, width: w, height: h };
    case 'above':
      return { x: x - w / 2, y: y - r - LABEL_GAP / 2 - h, width: w, height: h };
  }
}

const overlapArea = (a: Box, b: Box) => Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

/**
 * Where the packet's label goes: the side (right, left, below, above — in that order of
 * preference) whose box covers the least of the drawn boxes near it (`near`: pods, devices, in
 * screen px), never past the canvas's edges (4 px to spare) when a side fits inside. Returns the
 * side and how much of `near` it still covers (px²), so a caller can try a shorter label.
 */
export function labelPlace(x: number, y: number, r: number, w: number, h: number, canvasW: number, canvasH: number, near: readonly Box[]): { side: LabelPlace; covered: number } {
  let best: { side: LabelPlace; covered: number; out: boolean } | null = null;
  for (const side of ['right', 'left', 'below', 'above'] as const) {
    const b = labelBox(side, x, y, r, w, h);
    const out = b.x < 4 || b.y < 4 || b.x + b.width > canvasW - 4 || b.y + b.height > canvasH - 4;
    let covered = 0;
    for (const o of near) covered += overlapArea(b, o);
    if (!best || (best.out && !out) || (best.out === out && covered < best.covered)) best = { side, covered, out };
  }
  return { side: best!.side, covered: best!.covered };
}
