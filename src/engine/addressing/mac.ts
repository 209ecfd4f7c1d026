/**
 * Stable MAC addresses. Real devices get random MACs (the kernel's eth_random_addr); ours
 * are derived from the cluster seed and the device's identity, so the same scenario always
 * shows the same MACs and a device keeps its MAC when unrelated things change.
 */
import { sha1Hex } from '../util/hash';

/** A locally administered unicast MAC (bit 1 of the first octet set, bit 0 clear), as eth_random_addr makes. */
export function macFor(seed: number, key: string): string {
  const h = sha1Hex(`${seed}:${key}`);
  const first = ((parseInt(h.slice(0, 2), 16) & 0xfe) | 0x02).toString(16).padStart(2, '0');
  return [first, h.slice(2, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10), h.slice(10, 12)].join(':');
}

/** Calico sets every host-side cali veth to this fixed MAC (cni-plugin dataplane_linux.go). */
export const CALICO_HOST_MAC = 'ee:ee:ee:ee:ee:ee';
