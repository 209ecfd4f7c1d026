/**
 * Which pods got a new IP between two clusters the engine returned: a rescheduled pod (same
 * name, new address from its new node's range) or a new pod. The canvas shows these for a
 * moment, because the lesson is that pod IPs are not stable. Read from the two clusters, never
 * recomputed.
 */
import { formatIpv4 } from '../../engine/addressing/ipv4';
import type { Cluster } from '../../engine/model/cluster';
import { flowIds } from '../toFlow';
import type { IpFlash } from './canvasContext';

/** More changes than this (a CNI switch, a new scenario) are not a lesson about one pod: show none. */
export const MAX_FLASHES = 24;

export function ipChanges(prev: Cluster | null, next: Cluster | null): Map<string, IpFlash> {
  const out = new Map<string, IpFlash>();
  if (!prev || !next || prev === next || prev.config.name !== next.config.name) return out;
  for (const [key, pod] of next.pods) {
    if (!pod.attachment) continue;
    const before = prev.pods.get(key);
    const to = formatIpv4(pod.attachment.ip);
    const id = flowIds.pod(pod.meta.namespace ?? 'default', pod.meta.name);
    if (!before) out.set(id, { from: '', to });
    else if (before.attachment && before.attachment.ip !== pod.attachment.ip) out.set(id, { from: formatIpv4(before.attachment.ip), to });
    if (out.size > MAX_FLASHES) return new Map();
  }
  return out;
}
