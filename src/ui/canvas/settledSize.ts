/**
 * The canvas's size once it has stopped changing: React Flow measures its box with a
 * ResizeObserver (the store's width and height follow every pixel of a dock drag); this gives
 * the size SETTLE_MS after the last change, so the camera reframes once, at the end of a drag,
 * a collapse or the side panel's toggle. The first measure comes at once.
 */
import { useEffect, useState } from 'react';
import { useStore as useFlowStore } from '@xyflow/react';

export const SETTLE_MS = 200;

export function useSettledSize(): { width: number; height: number } {
  const width = useFlowStore((s) => s.width);
  const height = useFlowStore((s) => s.height);
  const [size, setSize] = useState({ width, height });
  useEffect(() => {
    if (size.width === width && size.height === height) return;
    const t = setTimeout(() => setSize({ width, height }), size.width && size.height ? SETTLE_MS : 0);
    return () => clearTimeout(t);
  }, [width, height, size]);
  return size;
}
