/**
 * The names a Linux lab uses for a cluster: one network namespace per node and per pod, one for
 * the node network, and the node-network side of each node's eth0 "cable". Shared by the script
 * generator and the kernel conformance test, so both talk about the same namespaces.
 *
 * Namespace names are `<prefix>-<node>`, `<prefix>-<pod>` (namespace `default`) and
 * `<prefix>-<namespace>.<pod>`; the prefix (default `pp-<cluster>`) is a shell variable in the
 * script, so the suffixes here are what stays fixed. Device names inside namespaces are the
 * real ones (eth0, cni0, flannel.1, veth…, cali…, tunl0); only the node-network side of the
 * cables is named here, and it must fit IFNAMSIZ (15 characters).
 */
import type { Cluster } from '../model/cluster';
import type { NetnsId } from '../model/ids';
import { networkOf } from '../cni/network';

/** Linux IFNAMSIZ is 16 including the terminating NUL. */
export const MAX_IFNAME = 15;

export interface LabNames {
  /** Default prefix: `pp-<cluster name>`. */
  defaultPrefix: string;
  /** Namespace suffix of the node network (`net`). */
  net: string;
  /** The bridge in the node-network namespace that every node's eth0 plugs into. */
  bridge: string;
  /** Namespace suffix per engine namespace id, in `networkOf(cluster).ids()` order. */
  netns: Map<NetnsId, string>;
  /** Node name → the node-network end of its eth0 veth pair (`nodes` bridge port). */
  cable: Map<string, string>;
}

const cache = new WeakMap<Cluster, LabNames>();

export function labNames(cluster: Cluster): LabNames {
  let names = cache.get(cluster);
  if (!names) {
    names = build(cluster);
    cache.set(cluster, names);
  }
  return names;
}

function build(cluster: Cluster): LabNames {
  const taken = new Set<string>(['net']);
  // A pod named like a node (or like `net`) gets a numbered suffix instead of sharing a namespace.
  const unique = (want: string): string => {
    let name = want;
    for (let n = 2; taken.has(name); n++) name = `${want}-${n}`;
    taken.add(name);
    return name;
  };
  const netns = new Map<NetnsId, string>();
  for (const id of networkOf(cluster).ids()) {
    if (id.startsWith('node/')) netns.set(id, unique(id.slice(5)));
  }
  for (const id of networkOf(cluster).ids()) {
    if (!id.startsWith('pod/')) continue;
    const [namespace, name] = id.slice(4).split('/');
    netns.set(id, unique(namespace === 'default' ? name : `${namespace}.${name}`));
  }
  const cable = new Map<string, string>();
  cluster.nodes.forEach((node, i) => {
    const want = `${node.meta.name}`;
    // `eth0` ends of the cables are named after their node when it fits, else `node<i>`.
    cable.set(node.meta.name, want.length <= MAX_IFNAME && /^[a-z0-9][a-z0-9.-]*$/.test(want) && want !== 'nodes' ? want : `node${i}`);
  });
  return { defaultPrefix: `pp-${cluster.config.name}`, net: 'net', bridge: 'nodes', netns, cable };
}
