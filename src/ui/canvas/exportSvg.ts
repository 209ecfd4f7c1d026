/**
 * The drawing as a standalone SVG for slides, drawn from the flow nodes and edges (the same
 * data React Flow draws) rather than copied from the DOM, so it is small, sharp at any size and
 * deterministic. Text is escaped: names and labels come from the scenario and are never markup.
 * PNG export rasterises this SVG (toPng in exportImage.ts).
 */
import type { DeviceData, ExternalData, Flow, FlowNode, KubeNodeData, PendingData, PodData, SegmentData, ServiceData } from '../toFlow';

export interface SvgColors {
  bg: string;
  surface: string;
  text: string;
  muted: string;
  border: string;
  nodeBg: string;
  nodeBorder: string;
  cpBg: string;
  cpBorder: string;
  segmentBg: string;
  segmentFg: string;
  nic: string;
  tunnel: string;
  bridge: string;
  hostEnd: string;
  pod: string;
  service: string;
}

export const LIGHT_SVG_COLORS: SvgColors = {
  bg: '#ffffff',
  surface: '#ffffff',
  text: '#1b1f24',
  muted: '#667085',
  border: '#b9c0cb',
  nodeBg: '#eef3fd',
  nodeBorder: '#9db5ea',
  cpBg: '#f4effc',
  cpBorder: '#b9a3e3',
  segmentBg: '#1f2937',
  segmentFg: '#f9fafb',
  nic: '#0072b2',
  tunnel: '#cc79a7',
  bridge: '#e69f00',
  hostEnd: '#475569',
  pod: '#326ce5',
  service: '#009e73',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Absolute boxes of every flow node (children are relative to their parent). */
export function absoluteBoxes(flow: Flow): Map<string, Box> {
  const out = new Map<string, Box>();
  for (const n of flow.nodes) {
    const parent = n.parentId ? out.get(n.parentId) : undefined;
    out.set(n.id, { x: (parent?.x ?? 0) + n.position.x, y: (parent?.y ?? 0) + n.position.y, w: n.width ?? 0, h: n.height ?? 0 });
  }
  return out;
}

function handlePoint(b: Box, handle: string | null | undefined, fallback: 'src' | 'dst'): { x: number; y: number } {
  switch (handle) {
    case 'up':
    case 'top':
      return { x: b.x + b.w / 2, y: b.y };
    case 'down':
      return { x: b.x + b.w / 2, y: b.y + b.h };
    case 'left':
    case 'bus':
      return { x: b.x, y: b.y + b.h / 2 };
    case 'right':
      return { x: b.x + b.w, y: b.y + b.h / 2 };
    default:
      return fallback === 'src' ? { x: b.x + b.w / 2, y: b.y + b.h } : { x: b.x + b.w / 2, y: b.y };
  }
}

const text = (x: number, y: number, s: string, attrs: string) => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`;
const rect = (b: Box, fill: string, stroke: string, r: number, extra = '') =>
  `<rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.w.toFixed(1)}" height="${b.h.toFixed(1)}" rx="${r}" fill="${fill}" stroke="${stroke}" stroke-width="1.5"${extra}/>`;

function edgeColor(cls: string | undefined, c: SvgColors): { stroke: string; dash?: string } {
  if (!cls) return { stroke: c.border };
  if (cls.includes('edge-nic')) return { stroke: c.nic };
  if (cls.includes('edge-master')) return { stroke: c.bridge };
  if (cls.includes('edge-underlay')) return { stroke: c.tunnel, dash: '5 4' };
  if (cls.includes('edge-endpoint')) return { stroke: c.service, dash: '3 4' };
  if (cls.includes('edge-external')) return { stroke: c.muted, dash: '6 4' };
  return { stroke: c.hostEnd };
}

function drawNode(n: FlowNode, b: Box, c: SvgColors): string {
  const d = n.data;
  const MONO = 'font-family="ui-monospace, Menlo, Consolas, monospace"';
  const SANS = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"';
  switch (d.kind) {
    case 'segment': {
      const s = d as SegmentData;
      return rect(b, c.segmentBg, c.segmentBg, 10) + text(b.x + b.w / 2, b.y + b.h / 2 + 5, `${s.fabric === 'vpc' ? `${(s.network ?? 'VPC').toUpperCase()} SUBNET` : 'NODE NETWORK'}  ${s.cidr}  gateway ${s.gateway}`, `${SANS} font-size="15" font-weight="700" text-anchor="middle" fill="${c.segmentFg}"`);
    }
    case 'k8sNode': {
      const k = d as KubeNodeData;
      const cp = k.role === 'control-plane';
      let out = rect(b, cp ? c.cpBg : c.nodeBg, cp ? c.cpBorder : c.nodeBorder, 12);
      out += text(b.x + 14, b.y + 26, `${k.name}  (${k.role})`, `${SANS} font-size="16" font-weight="700" fill="${c.text}"`);
      out += text(b.x + 14, b.y + 46, `IP ${k.ip}   PodCIDR ${k.podCIDR}`, `${MONO} font-size="12" fill="${c.text}"`);
      if (k.podRange) out += text(b.x + 14, b.y + 64, `${k.podRange.label} ${k.podRange.cidrs} ≠ PodCIDR`, `${MONO} font-size="12" fill="${c.bridge}"`);
      if (k.level === 'overview') out += text(b.x + 14, b.y + 90, `${k.podCount} pods`, `${SANS} font-size="22" font-weight="700" fill="${c.text}"`);
      return out;
    }
    case 'device': {
      const v = d as DeviceData;
      const color = v.role === 'nic' ? c.nic : v.role === 'tunnel' ? c.tunnel : v.role === 'bridge' ? c.bridge : c.hostEnd;
      if (v.role === 'host-end') return rect(b, c.surface, color, b.h / 2) + text(b.x + b.w / 2, b.y + b.h / 2 + 4, v.name, `${MONO} font-size="11.5" text-anchor="middle" fill="${c.text}"`);
      return (
        rect(b, c.surface, color, 6) +
        `<rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="5" height="${b.h.toFixed(1)}" fill="${color}"/>` +
        text(b.x + 11, b.y + 18, v.name, `${MONO} font-size="12.5" font-weight="700" fill="${c.text}"`) +
        text(b.x + 11, b.y + 33, v.detail, `${MONO} font-size="10" fill="${c.muted}"`)
      );
    }
    case 'pod': {
      const p = d as PodData;
      const dash = p.system ? ' stroke-dasharray="4 3"' : '';
      let out = rect(b, c.surface, p.system || p.hostNetwork ? c.border : c.pod, 8, dash);
      out += text(b.x + 10, b.y + (p.hostNetwork ? b.h / 2 + 4 : 18), p.name, `${SANS} font-size="12.5" font-weight="${p.system ? 500 : 600}" fill="${p.system ? c.muted : c.text}"`);
      if (p.status) out += text(b.x + 10, b.y + (p.hostNetwork ? b.h - 4 : 34), p.status, `${SANS} font-size="11.5" font-weight="700" fill="${c.muted}"`);
      else if (!p.hostNetwork) out += text(b.x + 10, b.y + 34, p.ip, `${MONO} font-size="11.5" fill="${c.muted}"`);
      if (!p.hostNetwork && p.labels.length) out += text(b.x + 10, b.y + 49, p.labels.slice(0, 2).join('  '), `${MONO} font-size="10" fill="${c.muted}"`);
      return out;
    }
    case 'service': {
      const s = d as ServiceData;
      return (
        rect(b, c.surface, c.service, 10, ' stroke-dasharray="6 3"') +
        text(b.x + 12, b.y + 22, `◇ ${s.name}  ${s.type}`, `${SANS} font-size="14" font-weight="700" fill="${c.text}"`) +
        text(b.x + 12, b.y + 42, s.clusterIP, `${MONO} font-size="12.5" fill="${c.text}"`) +
        text(b.x + 12, b.y + 60, `${s.ports}  ${s.ready}/${s.endpoints} ready`, `${MONO} font-size="11" fill="${c.muted}"`)
      );
    }
    case 'external': {
      const e = d as ExternalData;
      return rect(b, c.surface, c.muted, 10, ' stroke-dasharray="6 3"') + text(b.x + 12, b.y + 26, e.title, `${SANS} font-size="14" font-weight="700" fill="${c.text}"`) + text(b.x + 12, b.y + 46, e.detail, `${MONO} font-size="11.5" fill="${c.muted}"`);
    }
    case 'pending': {
      const t = d as PendingData;
      return rect(b, c.surface, c.muted, 12, ' stroke-dasharray="6 3"') + text(b.x + 14, b.y + 24, `PENDING  ${t.count} pod${t.count === 1 ? '' : 's'} not scheduled`, `${SANS} font-size="14" font-weight="700" fill="${c.text}"`);
    }
    default:
      return '';
  }
}

/** The whole flow as an SVG document with a margin around it. */
export function flowToSvg(flow: Flow, colors: SvgColors = LIGHT_SVG_COLORS, title = 'podpath cluster'): string {
  const boxes = absoluteBoxes(flow);
  const all = [...boxes.values()];
  const M = 24;
  const minX = Math.min(0, ...all.map((b) => b.x)) - M;
  const minY = Math.min(0, ...all.map((b) => b.y)) - M;
  const maxX = Math.max(0, ...all.map((b) => b.x + b.w)) + M;
  const maxY = Math.max(0, ...all.map((b) => b.y + b.h)) + M;
  const w = maxX - minX;
  const h = maxY - minY;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w.toFixed(0)}" height="${h.toFixed(0)}" viewBox="${minX.toFixed(0)} ${minY.toFixed(0)} ${w.toFixed(0)} ${h.toFixed(0)}" role="img" aria-label="${esc(title)}">`);
  parts.push(`<title>${esc(title)}</title>`);
  parts.push(`<rect x="${minX}" y="${minY}" width="${w}" height="${h}" fill="${colors.bg}"/>`);
  // Containers first (node boxes, switch, services), then edges, then the devices and pods on top.
  const containers = flow.nodes.filter((n) => !n.parentId);
  const children = flow.nodes.filter((n) => n.parentId);
  for (const n of containers) parts.push(drawNode(n, boxes.get(n.id)!, colors));
  for (const e of flow.edges) {
    const s = boxes.get(e.source);
    const t = boxes.get(e.target);
    if (!s || !t) continue;
    const a = handlePoint(s, e.sourceHandle, 'src');
    const b = handlePoint(t, e.targetHandle, 'dst');
    const { stroke, dash } = edgeColor(e.className, colors);
    parts.push(`<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${b.x.toFixed(1)}" y2="${b.y.toFixed(1)}" stroke="${stroke}" stroke-width="1.6"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
  }
  for (const n of children) parts.push(drawNode(n, boxes.get(n.id)!, colors));
  parts.push('</svg>');
  return parts.join('\n');
}
