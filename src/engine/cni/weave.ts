/**
 * Weave Net (stub; being fleshed out by H4).
 */
import { baseNodeNetns, basePodNetns } from './common';
import type { CniPlugin } from './plugin';

export const weavePlugin: CniPlugin = {
  mode: 'weave',
  ipam: 'weave',
  usesNodePodCIDR: false,
  podMtu: () => 1376,
  podPrefix: (config) => config.podCIDR.prefix,
  hostIfname: (pod) => `vethwepl${pod.pid}`,
  buildNode: (ctx, node) => baseNodeNetns(ctx, node),
  buildPod: (_ctx, pod) => basePodNetns(pod, []),
  nodeFiles: () => ({}),
  binaries: ['bandwidth', 'bridge', 'dhcp', 'firewall', 'host-device', 'host-local', 'ipvlan', 'loopback', 'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tuning', 'vlan', 'vrf', 'weave-ipam', 'weave-net'],
  daemonSet: { name: 'weave-net', namespace: 'kube-system', image: 'weaveworks/weave-kube:2.8.1', containerName: 'weave' },
  fabric: 'l2',
};
