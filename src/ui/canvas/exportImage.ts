/**
 * Saving the drawing for slides: the SVG from flowToSvg with the page's current colours, or a
 * PNG rasterised from it at twice its size (sharp on a projector). Browser-only.
 */
import { flowToSvg, LIGHT_SVG_COLORS, type SvgColors } from './exportSvg';
import type { Flow } from '../toFlow';

/** The page's colours (canvas.css variables), so the export matches the theme on screen. */
export function themeColors(el: Element): SvgColors {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const d = LIGHT_SVG_COLORS;
  return {
    bg: v('--bg', d.bg),
    surface: v('--surface', d.surface),
    text: v('--text', d.text),
    muted: v('--muted', d.muted),
    border: v('--border-strong', d.border),
    nodeBg: v('--node-bg', d.nodeBg),
    nodeBorder: v('--node-border', d.nodeBorder),
    cpBg: v('--cp-bg', d.cpBg),
    cpBorder: v('--cp-border', d.cpBorder),
    segmentBg: v('--segment-bg', d.segmentBg),
    segmentFg: v('--segment-fg', d.segmentFg),
    nic: v('--dev-nic', d.nic),
    tunnel: v('--dev-tunnel', d.tunnel),
    bridge: v('--dev-bridge', d.bridge),
    hostEnd: v('--dev-host-end', d.hostEnd),
    pod: v('--pod-border', d.pod),
    service: v('--svc-border', d.service),
  };
}

export function download(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function exportSvg(flow: Flow, colors: SvgColors, name: string) {
  download(new Blob([flowToSvg(flow, colors, `${name} — podpath`)], { type: 'image/svg+xml' }), `${name}.svg`);
}

/** Rasterise the SVG; canvases are capped near 16k px a side, so big clusters get a smaller scale. */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the SVG could not be drawn'));
      img.src = url;
    });
    const s = Math.min(scale, 16000 / Math.max(img.width, img.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.width * s));
    canvas.height = Math.max(1, Math.round(img.height * s));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function exportPng(flow: Flow, colors: SvgColors, name: string) {
  download(await svgToPng(flowToSvg(flow, colors, `${name} — podpath`)), `${name}.png`);
}
