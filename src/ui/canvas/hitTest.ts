/** Which Kubernetes node box a flow-coordinate point falls in (drops onto the canvas). */
import type { Flow } from '../toFlow';

export function nodeBoxAt(flow: Flow, p: { x: number; y: number }): string | undefined {
  for (const n of flow.nodes) {
    if (n.type !== 'k8sNode') continue;
    const w = n.width ?? 0;
    const h = n.height ?? 0;
    if (p.x >= n.position.x && p.x <= n.position.x + w && p.y >= n.position.y && p.y <= n.position.y + h) return (n.data as { name: string }).name;
  }
  return undefined;
}
