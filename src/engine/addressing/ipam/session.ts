/**
 * One addressing pass over a cluster: the plugin's IPAM, the per-node interface index and pid
 * counters, Cilium endpoint ids, and the seeded random source, used by buildCluster (fresh)
 * and by the commands (rebuilt from an existing cluster with `fromCluster`, replaying what is
 * allocated without side effects). Everything a pod's CNI ADD leaves behind is made here:
 * its IP, veth names, ifindexes, MACs, MTU, and its sandbox container id and pid.
 */
import type { Ipv4 } from '../ipv4';
import type { Cluster, ClusterConfig, IpamState, NodeRec, PodAttachment, PodRec } from '../../model/cluster';
import type { CniPlugin } from '../../cni/plugin';
import { pluginFor } from '../../cni/registry';
import { Rng } from '../../sim/rng';
import { EndpointIds } from './ciliumPool';
import { ifindexLayout, type IfindexLayout } from './ifindexLayout';
import { createIpam, emptyIpamState } from './index';
import { ipFail, ipOk, type IpamResult, type PodIpam } from './podIpam';
import { firstPid, nextPid, stableHex64, stableMac } from './stableIds';

/** Devices whose MACs a plugin reads from NodeRec.macs (flannel VtepMAC and cni0, Calico's and Cilium's VXLAN devices). */
const NODE_MAC_DEVICES: Partial<Record<CniPlugin['mode'], string[]>> = {
  flannel: ['flannel.1', 'cni0'],
  'flannel-host-gw': ['cni0'],
  'calico-vxlan': ['vxlan.calico'],
  cilium: ['cilium_vxlan'],
};

/** NodeRec fields that do not depend on the CNI (kubeadm node on Ubuntu 22.04 with containerd). */
export const NODE_SYSTEM = {
  osImage: 'Ubuntu 22.04.4 LTS',
  kernelVersion: '5.15.0-119-generic',
  containerRuntime: 'containerd://1.7.22',
  capacityPods: 110,
} as const;

export class AddressingSession {
  readonly plugin: CniPlugin;
  readonly ipam: PodIpam;
  readonly layout: IfindexLayout;
  private readonly nextIfindex: Record<string, number>;
  private readonly pidCursor = new Map<string, number>();
  private readonly endpointIds?: EndpointIds;

  private constructor(
    readonly config: ClusterConfig,
    readonly rng: Rng,
    state: IpamState,
  ) {
    this.plugin = pluginFor(config.cni);
    this.ipam = createIpam(this.plugin, config, state, rng);
    this.layout = ifindexLayout(this.plugin, config);
    this.nextIfindex = { ...state.nextIfindex };
    if (this.plugin.ipam === 'cilium-cluster-pool') this.endpointIds = new EndpointIds(rng);
  }

  static fresh(config: ClusterConfig, rng: Rng): AddressingSession {
    return new AddressingSession(config, rng, emptyIpamState());
  }

  /** An allocator holding exactly what `cluster` has allocated (O(nodes + pods)). */
  static fromCluster(cluster: Cluster, rng: Rng, config: ClusterConfig = cluster.config): AddressingSession {
    const s = new AddressingSession(config, rng, cluster.ipam);
    const nodes = new Map<string, NodeRec>();
    for (const n of cluster.nodes) {
      s.ipam.loadNode(n);
      nodes.set(n.meta.name, n);
    }
    for (const p of cluster.pods.values()) {
      const node = nodes.get(p.nodeName);
      if (!node) continue;
      s.notePid(p);
      const a = p.attachment;
      if (!a || p.hostNetwork) continue;
      s.ipam.use(node, a.ip);
      const next = a.hostIfindex + 1;
      if ((s.nextIfindex[p.nodeName] ?? 0) < next) s.nextIfindex[p.nodeName] = next;
      if (a.endpointId !== undefined) s.endpointIds?.use(p.nodeName, a.endpointId);
    }
    return s;
  }

  private notePid(p: PodRec): void {
    const after = nextPid(p.pid, p.containers.length, `${p.meta.namespace ?? 'default'}/${p.meta.name}`);
    if ((this.pidCursor.get(p.nodeName) ?? 0) < after) this.pidCursor.set(p.nodeName, after);
  }

  /** MACs of the node's NIC and of the plugin devices that read NodeRec.macs. */
  nodeMacs(name: string, annotations: Record<string, string> = {}): Record<string, string> {
    const seed = this.config.seed;
    const macs: Record<string, string> = { eth0: stableMac(seed, `node/${name}/eth0`) };
    for (const dev of NODE_MAC_DEVICES[this.plugin.mode] ?? []) macs[dev] = stableMac(seed, `node/${name}/${dev}`);
    void annotations;
    return macs;
  }

  /** Sandbox identity: container id (new per sandbox) and the pause process's pid on its node. */
  sandbox(pod: Pick<PodRec, 'meta' | 'nodeName' | 'containers'>, generation = 0): { containerId: string; pid: number } {
    const key = `${pod.meta.namespace ?? 'default'}/${pod.meta.name}`;
    const containerId = stableHex64(this.config.seed, `${pod.meta.uid}/${pod.nodeName}/${generation}/${key}`);
    const node = pod.nodeName || '(pending)';
    const pid = this.pidCursor.get(node) ?? firstPid(node);
    this.pidCursor.set(node, nextPid(pid, pod.containers.length, key));
    return { containerId, pid };
  }

  /**
   * CNI ADD for a pod on `node`: the IP (given when it was reserved beforehand, else
   * allocated) and the veth the plugin creates.
   */
  attach(pod: PodRec, node: NodeRec, ip?: Ipv4): IpamResult<PodAttachment> {
    let addr = ip;
    if (addr === undefined) {
      const r = this.ipam.allocate(node);
      if (!r.ok) return r;
      addr = r.value;
    }
    const name = node.meta.name;
    const first = this.nextIfindex[name] ?? this.layout.firstHostIfindex;
    let hostIfindex: number;
    let podIfindex: number;
    if (this.layout.createdInHost) {
      podIfindex = first;
      hostIfindex = first + 1;
      this.nextIfindex[name] = first + 2;
    } else {
      podIfindex = this.layout.podIfindex;
      hostIfindex = first;
      this.nextIfindex[name] = first + 1;
    }
    const endpointId = this.endpointIds?.next(name);
    const hostIfname = this.plugin.hostIfname(pod, this.rng, endpointId, this.config);
    const seed = this.config.seed;
    return ipOk({
      ip: addr,
      prefix: this.plugin.podPrefix(this.config),
      hostIfname,
      hostIfindex,
      podIfindex,
      podMac: stableMac(seed, `${pod.containerId}/eth0`),
      hostMac: this.plugin.fixedHostMac ?? stableMac(seed, `${pod.containerId}/${hostIfname}`),
      mtu: this.plugin.podMtu(this.config),
      ...(endpointId !== undefined ? { endpointId } : {}),
    });
  }

  /** CNI DEL: the pod's address goes back to its IPAM. */
  release(pod: PodRec, node: NodeRec | undefined): void {
    if (node && pod.attachment && !pod.hostNetwork) this.ipam.release(node, pod.attachment.ip);
  }

  /** A node's interface index counter restarts with the machine. */
  forgetNode(name: string): void {
    delete this.nextIfindex[name];
    this.pidCursor.delete(name);
  }

  exportState(nextEndpointId = 1): IpamState {
    const s = this.ipam.exportState();
    return {
      lastReserved: s.lastReserved,
      blockFree: s.blockFree,
      nextIfindex: this.nextIfindex,
      nextEndpointId,
      ...(s.nextPodCidrIndex !== undefined ? { nextPodCidrIndex: s.nextPodCidrIndex } : {}),
    };
  }
}

export { ipFail };
