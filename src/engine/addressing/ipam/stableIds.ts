/**
 * Stable identities for things the real system makes at random: device MACs, sandbox
 * container ids, process ids. They are hashes of the cluster seed and the thing's identity,
 * so the same scenario always shows the same values and a pod keeps them when unrelated
 * things change.
 *
 * Why not addressing/mac.ts `macFor`: it hashes with SHA-1 (~8 µs a call); a 150,000-pod
 * cluster needs two MACs per pod, so this module uses FNV-1a over UTF-16 code units (the keys
 * are ASCII object names), two independent 32-bit hashes where 64 bits of entropy matter.
 */
import { fmix32, fnv32aUnits } from '../../util/hash';

/** FNV-1a (32-bit) over the string's code units, from a seeded offset basis. */
export const hash32 = fnv32aUnits;
const mix = fmix32;

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex2 = (n: number) => HEX2[n & 0xff];
const hex8 = (n: number) => HEX2[(n >>> 24) & 0xff] + HEX2[(n >>> 16) & 0xff] + HEX2[(n >>> 8) & 0xff] + HEX2[n & 0xff];

/**
 * A locally administered unicast MAC (first octet: bit 1 set, bit 0 clear), as the kernel's
 * eth_random_addr() gives a veth, bridge or VXLAN device.
 */
export function stableMac(seed: number, key: string): string {
  const a = mix(hash32(key, (0x811c9dc5 ^ seed) >>> 0));
  const b = mix(hash32(key, (0x01000193 + Math.imul(seed, 0x9e3779b1)) >>> 0));
  const first = ((a >>> 24) & 0xfe) | 0x02;
  return `${hex2(first)}:${hex2(a >>> 16)}:${hex2(a >>> 8)}:${hex2(a)}:${hex2(b >>> 8)}:${hex2(b)}`;
}

/** 64 lowercase hex characters, like containerd's sandbox and container ids (32 random bytes). */
export function stableHex64(seed: number, key: string): string {
  let a = mix(hash32(key, (0x811c9dc5 ^ seed) >>> 0));
  let b = mix(hash32(key, (0x050c5d1f + Math.imul(seed, 0x9e3779b1)) >>> 0));
  let s = '';
  for (let i = 0; i < 8; i++) {
    // xorshift-style steps over the two words: 8 distinct 32-bit words from 64 bits of entropy.
    a = mix((a + 0x9e3779b9 + i) >>> 0);
    b = mix((b ^ a) >>> 0);
    s += hex8(b);
  }
  return s;
}

/**
 * Process ids for pod sandboxes on a node. A kubeadm node has spent its first thousand or so
 * pids on boot, systemd units, containerd and kubelet before the first sandbox (observed pause
 * pids are in the low thousands); each pod then takes its pause process and one process per
 * container (shell/nodecmds.ts: container i runs as `pod.pid + 1 + i`), and containerd-shim
 * and runc take a few between pods.
 */
export function firstPid(node: string): number {
  return 1200 + (hash32(`pid:${node}`) % 800);
}

/** The pid after a pod with `containers` containers started at `pid`. */
export function nextPid(pid: number, containers: number, podKey: string): number {
  return pid + containers + 1 + 8 + (hash32(podKey) % 24);
}
