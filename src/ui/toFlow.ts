/**
 * Derives the React Flow drawing from the engine's cluster and network: a pure function, so
 * the store never keeps a second copy of the cluster and the canvas is re-derived when it
 * changes.
 *
 * Output order follows React Flow's sub-flow rule (parents before children): the node-network
 * switch, then per Kubernetes node its box, its devices, the host ends of its pods' veths,
 * and its pods. Every device, pod and node box has a stable id (see `flowIds`) so a trace
 * hop can be mapped onto the drawing (canvas/hopAnchor.ts).
 *
 * Node `data` holds display values only (strings, no callbacks), computed from the engine.
 */
import type { BuiltInEdge, Edge, Node } from '@xyflow/react';
import { formatIpv4 } from '../engine/addressing/ipv4';
import type { Cluster, NodeRec, PodRec } from '../engine/model/cluster';
import { netnsId } from '../engine/model/ids';
import type { Link, Netns, Network } from '../engine/model/netns';
import {
  NODE_GAP_X,
  NODE_GAP_Y,
  NODES_PER_ROW,
  SEGMENT_GAP,
  SEGMENT_H,
  nodeBoxLayout,
  type NodeBoxLayout,
  type Rect,
} from './canvas/layout';

/** Stable flow ids. */
export const flowIds = {
  segment: (name: string) => `net:${name}`,
  node: (node: string) => `node:${node}`,
  device: (node: string, dev: string) => `dev:${node}:${dev}`,
  pod: (namespace: string, name: string) => `pod:${namespace}/${name}`,
};

/** What a device does on the node, for ordering and styling. */
export type DeviceRole = 'nic' | 'tunnel' | 'bridge' | 'host-end' | 'other';

export interface SegmentData extends Record<string, unknown> {
  kind: 'segment';
  name: string;
  cidr: string;
  gateway: string;
  fabric: 'l2' | 'vpc';
}

export interface KubeNodeData extends Record<string, unknown> {
  kind: 'k8sNode';
  name: string;
  role: string;
  ip: string;
  /** spec.podCIDR, or the CNI's own ranges (Calico blocks) when it ignores spec.podCIDR. */
  podCIDR: string;
  podCount: number;
  /** y of the hostNetwork pods caption inside the box, if any. */
  hostPodsTitleY?: number;
}

export interface DeviceData extends Record<string, unknown> {
  kind: 'device';
  node: string;
  name: string;
  linkKind: Link['kind'];
  role: DeviceRole;
  /** One short line: address, or tunnel parameters, or the bridge port. */
  detail: string;
  mtu: number;
}

export interface PodData extends Record<string, unknown> {
  kind: 'pod';
  node: string;
  namespace: string;
  name: string;
  ip: string;
  hostNetwork: boolean;
  /** kube-system & co: drawn quieter. */
  system: boolean;
}

export type FlowNodeData = SegmentData | KubeNodeData | DeviceData | PodData;
export type FlowNode = Node<FlowNodeData>;

export interface Flow {
  nodes: FlowNode[];
  edges: (Edge | BuiltInEdge)[];
}

/** Namespaces of the cluster's own components, drawn in a quieter style. */
export function isSystemNamespace(ns: string): boolean {
  return ns === 'kube-system' || ns.startsWith('kube-') || ns.endsWith('-system');
}

export function toFlow(cluster: Cluster, network: Network): Flow {
  const nodes: FlowNode[] = [];
  const edges: Flow['edges'] = [];
  const segment = network.segments[0];
  const segId = segment ? flowIds.segment(segment.name) : undefined;

  const podsByNode = new Map<string, PodRec[]>(cluster.nodes.map((n) => [n.meta.name, [] as PodRec[]]));
  for (const pod of cluster.pods.values()) podsByNode.get(pod.nodeName)?.push(pod);

  // Lay out node boxes first so the switch can span them.
  const boxes = cluster.nodes.map((node) => {
    const ns = network.get(netnsId.node(node.meta.name));
    const devices = ns ? nodeDevices(ns) : [];
    const pods = podsByNode.get(node.meta.name) ?? [];
    const podNet = pods.filter((p) => !p.hostNetwork && p.attachment);
    const hostNet = pods.filter((p) => p.hostNetwork || !p.attachment);
    const layout = nodeBoxLayout(devices.length, podNet.length, hostNet.length);
    return { node, ns, devices, podNet, hostNet, layout };
  });
  const positions = placeBoxes(boxes.map((b) => b.layout));
  const totalWidth = Math.max(0, ...positions.map((p, i) => p.x + boxes[i].layout.width));

  if (segment && segId) {
    nodes.push({
      id: segId,
      type: 'segment',
      position: { x: 0, y: 0 },
      width: Math.max(totalWidth, 320),
      height: SEGMENT_H,
      draggable: false,
      selectable: false,
      data: { kind: 'segment', name: segment.name, cidr: segment.cidr.toString(), gateway: formatIpv4(segment.gateway), fabric: segment.fabric },
    });
  }

  boxes.forEach(({ node, ns, devices, podNet, hostNet, layout }, i) => {
    const name = node.meta.name;
    const boxId = flowIds.node(name);
    nodes.push({
      id: boxId,
      type: 'k8sNode',
      position: positions[i],
      width: layout.width,
      height: layout.height,
      draggable: false,
      selectable: false,
      data: {
        kind: 'k8sNode',
        name,
        role: node.role,
        ip: formatIpv4(node.ip),
        podCIDR: podRangeOf(node),
        podCount: podNet.length + hostNet.length,
        ...(layout.hostPodsTitleY !== undefined ? { hostPodsTitleY: layout.hostPodsTitleY } : {}),
      },
    });

    devices.forEach((link, d) => {
      nodes.push(child(flowIds.device(name, link.name), 'device', boxId, layout.devices[d], deviceData(name, link)));
    });

    podNet.forEach((pod, s) => {
      const podId = flowIds.pod(pod.meta.namespace ?? 'default', pod.meta.name);
      const hostEnd = ns ? hostEndOf(ns, pod) : undefined;
      const hostEndName = hostEnd?.name ?? pod.attachment?.hostIfname;
      const slot = layout.slots[s];
      if (hostEndName) {
        const hostEndId = flowIds.device(name, hostEndName);
        const data: DeviceData = hostEnd
          ? deviceData(name, hostEnd)
          : { kind: 'device', node: name, name: hostEndName, linkKind: 'veth', role: 'host-end', detail: '', mtu: pod.attachment?.mtu ?? 0 };
        nodes.push(child(hostEndId, 'device', boxId, slot.hostEnd, data));
        edges.push({ id: `veth:${podId}`, source: hostEndId, sourceHandle: 'right', target: podId, targetHandle: 'left', className: 'edge-veth', type: 'straight' });
        // Bridge ports run up the bus in the node's left margin.
        if (hostEnd?.master) {
          const port: BuiltInEdge = { ...masterEdge(name, hostEnd), sourceHandle: 'bus', type: 'smoothstep', pathOptions: { offset: 12, borderRadius: 6 } };
          edges.push(port);
        }
      }
      nodes.push(child(podId, 'pod', boxId, slot.pod, podData(pod)));
    });

    hostNet.forEach((pod, h) => {
      nodes.push(child(flowIds.pod(pod.meta.namespace ?? 'default', pod.meta.name), 'pod', boxId, layout.hostPods[h], podData(pod, formatIpv4(node.ip))));
    });

    for (const link of devices) {
      if (link.master) edges.push(masterEdge(name, link));
      const underlay = underlayOf(link);
      if (underlay && devices.some((l) => l.name === underlay)) {
        edges.push({
          id: `underlay:${name}:${link.name}`,
          source: flowIds.device(name, link.name),
          sourceHandle: 'right',
          target: flowIds.device(name, underlay),
          targetHandle: 'left',
          className: 'edge-underlay',
          type: 'straight',
        });
      }
      if (link.segment && segment && link.segment === segment.name && segId) {
        edges.push({
          id: `nic:${name}:${link.name}`,
          source: flowIds.device(name, link.name),
          sourceHandle: 'up',
          target: segId,
          targetHandle: 'down',
          className: 'edge-nic',
          type: 'smoothstep',
        });
      }
    }
  });

  return { nodes, edges };
}

/** Node boxes in rows of NODES_PER_ROW under the switch; each row as tall as its tallest box. */
function placeBoxes(layouts: NodeBoxLayout[]): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  let y = SEGMENT_H + SEGMENT_GAP;
  for (let start = 0; start < layouts.length; start += NODES_PER_ROW) {
    const row = layouts.slice(start, start + NODES_PER_ROW);
    let x = 0;
    for (const l of row) {
      out.push({ x, y });
      x += l.width + NODE_GAP_X;
    }
    y += Math.max(...row.map((l) => l.height)) + NODE_GAP_Y;
  }
  return out;
}

function child(id: string, type: 'device' | 'pod', parentId: string, rect: Rect, data: DeviceData | PodData): FlowNode {
  return {
    id,
    type,
    parentId,
    extent: 'parent',
    position: { x: rect.x, y: rect.y },
    width: rect.width,
    height: rect.height,
    draggable: false,
    selectable: false,
    data,
  };
}

function masterEdge(node: string, link: Link): Edge {
  return {
    id: `master:${node}:${link.name}`,
    source: flowIds.device(node, link.name),
    sourceHandle: 'up',
    target: flowIds.device(node, link.master!),
    targetHandle: 'down',
    className: 'edge-master',
  };
}

/**
 * The node's own devices, in drawing order (left to right): the rest, bridges, tunnels, and
 * the NIC last (tunnels sit next to the NIC they ride on). Loopback and pods' host ends are left out (the host ends
 * are drawn in the pod's slot).
 */
export function nodeDevices(ns: Netns): Link[] {
  const shown = ns.links.filter((l) => l.kind !== 'loopback' && !isPodHostEnd(ns, l));
  const rank: Record<DeviceRole, number> = { other: 0, bridge: 1, tunnel: 2, nic: 3, 'host-end': 4 };
  return shown
    .map((l, i) => ({ l, i }))
    .sort((a, b) => rank[roleOf(ns, a.l)] - rank[roleOf(ns, b.l)] || a.i - b.i)
    .map(({ l }) => l);
}

function isPodHostEnd(ns: Netns, link: Link): boolean {
  return !!link.peer && link.peer.netns !== ns.id && link.peer.netns.startsWith('pod/');
}

function hostEndOf(ns: Netns, pod: PodRec): Link | undefined {
  const podNs = netnsId.pod(pod.meta.namespace ?? 'default', pod.meta.name);
  return ns.links.find((l) => l.peer?.netns === podNs) ?? ns.links.find((l) => l.name === pod.attachment?.hostIfname);
}

export function roleOf(ns: Netns, link: Link): DeviceRole {
  return isPodHostEnd(ns, link) ? 'host-end' : roleKind(link);
}

/** The device a tunnel sends its outer packets through (`dev eth0` of a VXLAN device; eth0 for the rest). */
function underlayOf(link: Link): string | undefined {
  if (link.vxlan) return link.vxlan.external ? undefined : link.vxlan.dev;
  if (link.kind === 'ipip' || link.kind === 'wireguard') return 'eth0';
  return undefined;
}

function deviceData(node: string, link: Link): DeviceData {
  const isHostEnd = !!link.peer && link.peer.netns.startsWith('pod/');
  return {
    kind: 'device',
    node,
    name: link.name,
    linkKind: link.kind,
    role: isHostEnd ? 'host-end' : roleKind(link),
    detail: deviceDetail(link),
    mtu: link.mtu,
  };
}

function roleKind(link: Link): DeviceRole {
  if (link.kind === 'ether') return 'nic';
  if (link.kind === 'vxlan' || link.kind === 'ipip' || link.kind === 'wireguard') return 'tunnel';
  if (link.kind === 'bridge' || link.kind === 'openvswitch') return 'bridge';
  return 'other';
}

/** The line under a device name: its address, or the tunnel's VNI and UDP port (`vxlan vni 1 · udp 8472`). */
export function deviceDetail(link: Link): string {
  if (link.vxlan) return `vxlan vni ${link.vxlan.vni} · udp ${link.vxlan.port}`;
  if (link.wireguard) return `wireguard :${link.wireguard.listenPort}`;
  const a = link.addrs.find((x) => x.scope !== 'host');
  if (a) return `${formatIpv4(a.ip)}/${a.prefix}`;
  if (link.master) return `master ${link.master}`;
  return `${link.kind} mtu ${link.mtu}`;
}

function podData(pod: PodRec, hostIp?: string): PodData {
  const namespace = pod.meta.namespace ?? 'default';
  return {
    kind: 'pod',
    node: pod.nodeName,
    namespace,
    name: pod.meta.name,
    ip: pod.attachment ? formatIpv4(pod.attachment.ip) : (hostIp ?? ''),
    hostNetwork: pod.hostNetwork,
    system: isSystemNamespace(namespace),
  };
}

/** spec.podCIDR, else the IPAM blocks the CNI gave the node (Calico), else `—`. */
export function podRangeOf(node: NodeRec): string {
  if (node.podCIDR) return node.podCIDR.toString();
  if (node.blocks.length) return node.blocks.map((b) => b.toString()).join(', ');
  return '—';
}
