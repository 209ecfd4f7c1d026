/**
 * The packet animation, drawn in the drawing's own coordinates inside React Flow's viewport
 * (its ViewportPortal), so panning and zooming move it with the nodes at no cost of its own:
 * the current leg's trail and a halo around the current device are an SVG redrawn once per
 * hop (and per zoom step, for their screen-sized strokes), and the packet with its label is one
 * element on its own compositor layer that glides from the anchor of one hop to the next by
 * its `transform` alone — no canvas to repaint and no React render per frame (bench:ui holds
 * the frame time to a bare React Flow page's). Positions come from React Flow's node lookup
 * (absolute flow coordinates), so they follow the layout.
 *
 * A dropped packet stops under a ✕ marker with the reason; the label says request or reply
 * in words (not only by colour). With `prefers-reduced-motion` the packet steps from hop to
 * hop instead of gliding. The layer element (`packet-layer`, over the canvas) tells tests and
 * tools what is drawn: `data-packet` is where the packet is on screen (CSS px in the canvas),
 * `data-anchor` the device it is at, `data-drop` the drop label.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useStore as useFlowStore, useStoreApi as useFlowStoreApi, ViewportPortal } from '@xyflow/react';
import { useApp } from '../StoreContext';
import type { TraceHop } from '../../engine/trace/traceTypes';
import { flowIds } from '../toFlow';
import { flattenHops, hopAnchorId, type PlayHop } from '../trace/playback';
import { dropMarkOf } from '../trace/dropMark';
import { usePrefersReducedMotion } from './viewPrefs';
import { easeInOut, hopPoints, labelPlace, lerp, packetRadius, toScreen, trail, type AnchorBox, type Box, type Point } from './packetGeometry';

const GLIDE_MS = 420;
/**
 * Each step sends a ring out from the packet, so a step is seen even when the next hop happens
 * at the same device (the packet does not move; netfilter hooks, routing, the neighbour lookup).
 * It runs on the compositor (transform and opacity only).
 */
const PULSE_MS = 900;

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

const PULSE: Keyframe[] = [
  { transform: 'scale(1)', opacity: 0.7 },
  { transform: 'scale(2.6)', opacity: 0 },
];

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
  const moveMs = reduced ? 0 : GLIDE_MS;
  const result = useApp((s) => s.trace);
  const cursor = useApp((s) => s.cursor);
  // A new drawing (an edit, a window of a big cluster) may move the anchors: the trail follows.
  const drawing = useFlowStore((s) => s.nodes);
  const flowStore = useFlowStoreApi();
  const hops = useMemo(() => flattenHops(result), [result]);
  const layerRef = useRef<HTMLDivElement>(null);
  const trailRef = useRef<SVGPolylineElement>(null);
  const haloRef = useRef<SVGRectElement>(null);
  const glyphRef = useRef<HTMLDivElement>(null);
  const pulseRef = useRef<HTMLSpanElement>(null);
  const crossRef = useRef<SVGPathElement>(null);
  const labelRef = useRef<HTMLSpanElement>(null);

  // Where the packet is drawn now (flow coordinates) and where it is heading.
  const motion = useRef<{ from: Point | null; to: Point | null; start: number }>({ from: null, to: null, start: 0 });
  const frame = useRef(0);

  // A new cursor: start moving from wherever the packet is drawn now.
  useEffect(() => {
    const target = cursor >= 0 ? hopPoints(anchorBoxesOf(flowStore.getState().nodeLookup, hops))[cursor] : undefined;
    const m = motion.current;
    const now = performance.now();
    const current = m.from && m.to && moveMs > 0 ? lerp(m.from, m.to, easeInOut((now - m.start) / moveMs)) : m.to;
    motion.current = { from: current ?? target ?? null, to: target ?? null, start: now };
    if (moveMs > 0 && target) pulseRef.current?.animate(PULSE, { duration: PULSE_MS, easing: 'ease-out' });
  }, [cursor, hops]);

  const cur = hops[cursor];
  const drop = dropMarkOf(cur, result);
  const encap = cur?.hop.packet.encap;
  const shortLabel = cur ? (cur.leg === 'request' ? '→ request' : '← reply') : '';
  const movingLabel = cur ? `${shortLabel} · ${cur.hop.packet.proto.toUpperCase()} ${cur.hop.packet.size} B${encap ? ` · ${encap.type.toUpperCase()}` : ''}` : '';

  useEffect(() => {
    const layer = layerRef.current;
    const line = trailRef.current;
    const halo = haloRef.current;
    const glyph = glyphRef.current;
    const cross = crossRef.current;
    const label = labelRef.current;
    if (!layer || !line || !halo || !glyph || !cross || !label || !cur) return;
    const boxes = anchorBoxesOf(flowStore.getState().nodeLookup, hops);
    // The trail up to the current hop is the same every frame of a glide: computed once here.
    const legStart = hops.findIndex((h) => h.leg === cur.leg);
    const points = trail(hopPoints(boxes).slice(legStart, cursor + 1), cursor - legStart);
    line.setAttribute('points', points.map((p) => `${p.x},${p.y}`).join(' '));
    const box = boxes[cursor];
    halo.style.display = box && !box.wide ? '' : 'none';
    // What the label must not cover: the pods and devices near the packet (flow coordinates), but
    // the one it is at (every side crosses that one; its neighbours are what the label hid).
    const lookup = flowStore.getState().nodeLookup;
    const near = nearBoxes(lookup, hopPoints(boxes)[cursor], anchorOf(cur.hop, new Set(lookup.keys())));

    let zoom = NaN;
    let width = NaN;
    let dropped: boolean | null = null;
    let labelW = 0;
    let shortW = 0;
    let labelH = 0;
    let side = '';
    let text = '';
    /** What depends on the zoom: strokes and the packet are sized in screen px. */
    const scale = (z: number) => {
      zoom = z;
      line.setAttribute('stroke-width', String(3 / z));
      line.setAttribute('stroke-dasharray', `${8 / z} ${6 / z}`);
      if (box && !box.wide) {
        halo.setAttribute('x', String(box.x - 4 / z));
        halo.setAttribute('y', String(box.y - 4 / z));
        halo.setAttribute('width', String(box.width + 8 / z));
        halo.setAttribute('height', String(box.height + 8 / z));
        halo.setAttribute('rx', String(10 / z));
        halo.setAttribute('stroke-width', String(2.5 / z));
      }
      const r = packetRadius(z);
      glyph.style.setProperty('--r', `${r}px`);
      const k = r + 7;
      cross.setAttribute('d', `M${-k} ${-k}L${k} ${k}M${k} ${-k}L${-k} ${k}`);
    };
    /** Put the packet where it is at this moment; true while it is still moving. */
    const place = () => {
      const s = flowStore.getState();
      const [x, y, z] = s.transform;
      if (z !== zoom) scale(z);
      const m = motion.current;
      if (!m.to) {
        glyph.style.display = 'none';
        return false;
      }
      glyph.style.display = '';
      const t = m.from && moveMs > 0 ? easeInOut((performance.now() - m.start) / moveMs) : 1;
      const at = m.from ? lerp(m.from, m.to, t) : m.to;
      glyph.style.transform = `translate(${at.x}px, ${at.y}px) scale(${1 / z})`;
      const screen = toScreen(at, { x, y, zoom: z });
      layer.dataset.packet = `${Math.round(screen.x)},${Math.round(screen.y)}`;
      // The last hop of a leg that was not delivered is where the packet died: a ✕ and who dropped it.
      const d = !!drop && t >= 1;
      if (d !== dropped || s.width !== width) {
        dropped = d;
        width = s.width;
        glyph.classList.toggle('is-dropped', d);
        label.textContent = shortLabel;
        shortW = label.offsetWidth;
        text = d ? drop.label : movingLabel;
        label.textContent = text;
        labelW = label.offsetWidth;
        labelH = label.offsetHeight;
      }
      // The label goes where it covers least of the pods and devices around; when it still
      // covers some, the short one (request or reply, no protocol) if that covers less.
      const r = packetRadius(z);
      const onScreenNear = near.map((b) => ({ x: b.x * z + x, y: b.y * z + y, width: b.width * z, height: b.height * z }));
      let pick = labelPlace(screen.x, screen.y, r, labelW, labelH, s.width, s.height, onScreenNear);
      let want = d ? drop.label : movingLabel;
      if (!d && pick.covered > 0) {
        const short = labelPlace(screen.x, screen.y, r, shortW, labelH, s.width, s.height, onScreenNear);
        if (short.covered < pick.covered) {
          pick = short;
          want = shortLabel;
        }
      }
      if (want !== text) {
        text = want;
        label.textContent = text;
      }
      if (pick.side !== side) {
        glyph.classList.remove(`packet--${side}`);
        side = pick.side;
        glyph.classList.add(`packet--${side}`);
      }
      return t < 1;
    };
    const tick = () => {
      frame.current = place() ? requestAnimationFrame(tick) : 0;
    };
    tick();
    // Panning and zooming move the drawing under the packet: its screen position, its size and
    // the label's side follow (a glide does so on each of its frames).
    const unsubscribe = flowStore.subscribe((s, prev) => {
      if (!frame.current && (s.transform !== prev.transform || s.width !== prev.width)) place();
    });
    return () => {
      cancelAnimationFrame(frame.current);
      frame.current = 0;
      unsubscribe();
    };
  }, [hops, cursor, cur, drop, movingLabel, shortLabel, moveMs, drawing, flowStore]);

  // What is drawn, in the DOM too (tests and screen readers read no drawing): the device the
  // current hop is drawn at, and the drop label when the packet died there.
  const anchor = cur ? anchorOf(cur.hop, new Set(flowStore.getState().nodeLookup.keys())) : undefined;
  const leg = cur?.leg === 'reply' ? ' packet--reply' : '';
  return (
    <>
      <div ref={layerRef} className="packet-layer" data-testid="packet-layer" data-anchor={anchor ?? ''} data-drop={drop?.label ?? ''} aria-hidden />
      {cur && (
        <ViewportPortal>
          <svg className={`packet-scene${leg}`} width={1} height={1} aria-hidden>
            <polyline ref={trailRef} className="packet-trail" />
            <rect ref={haloRef} className={`packet-halo${drop ? ' is-drop' : ''}`} />
          </svg>
          <div ref={glyphRef} className={`packet${leg}${encap ? ' is-encap' : ''}${drop ? ' is-drop' : ''}`} aria-hidden>
            <span ref={pulseRef} className="packet__pulse" />
            <span className="packet__ring" />
            <span className="packet__dot" />
            <svg className="packet__x" width={1} height={1}>
              <path ref={crossRef} />
            </svg>
            <span ref={labelRef} className="packet__label" />
          </div>
        </ViewportPortal>
      )}
      {drop && (
        <p className="sr-only" role="status" data-testid="packet-drop">
          {drop.label}
        </p>
      )}
    </>
  );
}

/** How far from the packet (flow units) drawn boxes count for the label's placement: a label is a few hundred px long. */
const NEAR = 600;

/** The pods, devices and other leaf boxes (not node boxes, not the node network, not `except`) within NEAR of `at`, in absolute flow coordinates. */
function nearBoxes(lookup: NodeLookup, at: Point | undefined, except: string | undefined): Box[] {
  if (!at) return [];
  const out: Box[] = [];
  for (const n of lookup.values()) {
    if (n.type === 'k8sNode' || n.type === 'segment' || n.id === except) continue;
    const { x, y } = n.internals.positionAbsolute;
    const width = n.measured.width ?? n.width ?? 0;
    const height = n.measured.height ?? n.height ?? 0;
    if (x > at.x + NEAR || x + width < at.x - NEAR || y > at.y + NEAR || y + height < at.y - NEAR) continue;
    out.push({ x, y, width, height });
  }
  return out;
}
