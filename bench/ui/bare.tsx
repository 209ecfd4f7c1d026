/**
 * The baseline: a bare React Flow page with `?nodes=N&edges=M` default nodes and edges in a
 * grid, fit to view, and a dot animated on a canvas over it the same way the packet is (a
 * redraw every frame). Only React, React Flow and its stylesheet.
 */
import { useEffect, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { measureFrames, type FrameStats } from './frames';

const params = new URLSearchParams(location.search);
const count = Number(params.get('nodes') ?? 10);
const edgeCount = Number(params.get('edges') ?? 0);
const cols = Math.ceil(Math.sqrt(count));
const nodes: Node[] = Array.from({ length: count }, (_, i) => ({
  id: `n${i}`,
  position: { x: (i % cols) * 220, y: Math.floor(i / cols) * 90 },
  data: { label: `node ${i} 10.244.${i >> 8}.${i & 255}` },
}));
const edges: Edge[] = Array.from({ length: Math.min(edgeCount, count - 1) }, (_, i) => ({ id: `e${i}`, source: `n${i}`, target: `n${i + 1}` }));

function Dot() {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let frame = 0;
    const draw = (t: number) => {
      const c = ref.current!;
      if (c.width !== innerWidth) {
        c.width = innerWidth;
        c.height = innerHeight;
      }
      const ctx = c.getContext('2d')!;
      ctx.clearRect(0, 0, c.width, c.height);
      ctx.fillStyle = '#0072b2';
      ctx.beginPath();
      ctx.arc(100 + ((t / 4) % (c.width - 200)), c.height / 2, 8, 0, Math.PI * 2);
      ctx.fill();
      frame = requestAnimationFrame(draw);
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, []);
  return <canvas ref={ref} style={{ position: 'absolute', inset: 0, pointerEvents: 'none', zIndex: 6 }} />;
}

declare global {
  interface Window {
    __bare: { run(ms: number): Promise<FrameStats & { rendered: number }> };
  }
}
window.__bare = {
  async run(ms) {
    const stats = await measureFrames(ms);
    return { ...stats, rendered: document.querySelectorAll('.react-flow__node').length };
  },
};

createRoot(document.getElementById('root')!).render(
  <div style={{ position: 'fixed', inset: 0 }}>
    <ReactFlow nodes={nodes} edges={edges} fitView minZoom={0.03}>
      <Dot />
    </ReactFlow>
  </div>,
);
