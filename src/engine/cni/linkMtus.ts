/**
 * Device MTUs an administrator changed after the CNI built a namespace (`ip link set dev DEV
 * mtu N`, kept in Cluster.linkMtus by namespace id and device). Only the device changes, as in
 * Linux: routes keep their own `mtu` metric, the veth's peer and the bridge's ports keep theirs
 * (a bridge's MTU no longer follows its ports once set by hand: net/bridge/br_device.c
 * br_change_mtu sets BROPT_MTU_SET_BY_USER). A device the namespace does not have is ignored
 * (the pod was recreated, the device went away).
 */
import type { Cluster } from '../model/cluster';
import type { Netns } from '../model/netns';

export function applyLinkMtus(cluster: Cluster, ns: Netns): void {
  const set = cluster.linkMtus?.[ns.id];
  if (!set) return;
  for (const link of ns.links) {
    const mtu = set[link.name];
    if (mtu !== undefined) link.mtu = mtu;
  }
}

/** The cluster with `dev` in namespace `netns` set to `mtu` (a new object; the old one is unchanged). */
export function withLinkMtu(cluster: Cluster, netns: string, dev: string, mtu: number): Cluster {
  const all = { ...(cluster.linkMtus ?? {}) };
  all[netns] = { ...(all[netns] ?? {}), [dev]: mtu };
  return { ...cluster, linkMtus: all };
}
