/** Frame times from requestAnimationFrame deltas over a window, with p50/p95. */
export interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function measureFrames(ms: number): Promise<FrameStats> {
  return new Promise((resolve) => {
    const deltas: number[] = [];
    let last = performance.now();
    const end = last + ms;
    const tick = (now: number) => {
      deltas.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else {
        const s = [...deltas].sort((a, b) => a - b);
        resolve({ frames: deltas.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1] ?? 0 });
      }
    };
    requestAnimationFrame(tick);
  });
}
