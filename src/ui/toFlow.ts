/**
 * Derives the React Flow drawing from the engine's cluster and network: a pure function, so
 * the store never keeps a second copy of the cluster and the canvas is re-derived when it
 * changes.
 *
 * Output order follows React Flow's sub-flow rule (parents before children): the node-network
 * switch, then per Kubernetes node its box, its devices, the host ends of its pods' veths,
 * and its pods; last, the tray of Pending pods (no node). Every device, pod and node box has a
 * stable id (see `flowIds`) so a trace hop can be mapped onto the drawing (canvas/hopAnchor.ts).
 * A pod without an address (ContainerCreating, OutOfpods) sits in its node's slots with its
 * STATUS where the IP would be and no veth.
 *
 * Node `data` holds display values only (strings, no callbacks), computed from the engine.
 *
 * Two semantic levels share one geometry (so zooming never moves a box): `detail` draws
 * devices, pods and addresses; `overview` draws only the node boxes with their pod counts,
 * which keeps a 50-node, 1,000-pod cluster light when it is zoomed out to fit.
 * Services (from the engine's Service table, when given) sit in a band above the switch,
 * with an outside client and the cloud load balancer when a Service takes external traffic.
 */
import type { BuiltInEdge, Edge, MarkerType, Node } from '@xyflow/react';
import { formatIpv4 } from '../engine/addressing/ipv4';
import type { Cluster, NodeRec, PodRec } from '../engine/model/cluster';
import { netnsId } from '../engine/model/ids';
import type { Link, Netns, Network } from '../engine/model/netns';
import type { ServiceInfo, ServiceTable } from '../engine/services/types';
import { SEGMENT_H, nodeBoxLayout, pendingTray, placeBoxes, serviceBand, type Rect } from './canvas/layout';

/** Stable flow ids. */
export const flowIds = {
  segment: (name: string) => `net:${name}`,
  node: (node: string) => `node:${node}`,
  device: (node: string, dev: string) => `dev:${node}:${dev}`,
  pod: (namespace: string, name: string) => `pod:${namespace}/${name}`,
  service: (namespace: string, name: string) => `svc:${namespace}/${name}`,
  /** The outside world: `client` (a host on the internet) and `lb` (the cloud load balancer); trace netns `ext/<name>`. */
  external: (name: string) => `ext:${name}`,
  /** The tray of Pending pods the scheduler could not place. */
  pending: () => 'pending',
};

export type SemanticLevel = 'overview' | 'detail';

export interface FlowOptions {
  level?: SemanticLevel;
  /** The engine's Service table (services/table.ts servicesOf); no Service boxes without it. */
  services?: ServiceTable | null;
  /** `namespace/name` of the Service whose endpoint edges to draw (all of them would be a hairball). */
  focusService?: string | null;
  /**
   * Leave out the system pods (kube-system & co) and their veths: each node box then says how
   * many it folded. The app folds them by default so a laptop screen has room for the
   * workloads; exports and tests see everything unless they ask.
   */
  foldSystem?: boolean;
  /**
   * Pods (flow ids) always drawn: folded or not, and at the overview level too. The app passes
   * the pods the current trace visits, so its endpoints never collapse into a count.
   */
  keep?: ReadonlySet<string>;
}

/** What a device does on the node, for ordering and styling. */
export type DeviceRole = 'nic' | 'tunnel' | 'bridge' | 'host-end' | 'other';

export interface SegmentData extends Record<string, unknown> {
  kind: 'segment';
  name: string;
  cidr: string;
  gateway: string;
  fabric: 'l2' | 'vpc';
  /** What the cloud calls its network (`VPC`, `VNet`), for a cloud fabric. */
  network?: 'VPC' | 'VNet';
}

export interface KubeNodeData extends Record<string, unknown> {
  kind: 'k8sNode';
  name: string;
  role: string;
  ip: string;
  /** spec.podCIDR as kube-controller-manager set it, or `—`. */
  podCIDR: string;
  /**
   * Where pod IPs really come from when it is not spec.podCIDR: Calico's IPAM blocks, Cilium's
   * CiliumNode podCIDRs, Weave's ring share, the VPC subnet. The lesson: under Calico the
   * node's PodCIDR is not its pods' range.
   */
  podRange?: { label: string; cidrs: string };
  podCount: number;
  /** Of podCount, pods in system namespaces (kube-system, calico-system...). */
  systemPodCount: number;
  /** kube-proxy's mode on this node (`iptables`, `ipvs`, `nftables`), or `none`. */
  kubeProxy: string;
  level: SemanticLevel;
  /** y of the hostNetwork pods caption inside the box, if any. */
  hostPodsTitleY?: number;
  /** System pods left out of the drawing (FlowOptions.foldSystem), and the y of the line saying so. */
  foldedSystem?: { count: number; y: number };
  /** Overview level with pods still drawn in the box (FlowOptions.keep): the box keeps its header to one line. */
  keepsPods?: boolean;
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
  /** `app=web`, `tier=db` (pod-template-hash and the like left out). */
  labels: string[];
  /** Can be rescheduled by hand (not a DaemonSet pod, not on the host network). */
  movable: boolean;
  /** STATUS as kubectl shows it when the pod is not Running (Pending, ContainerCreating, OutOfpods), and why. */
  status?: string;
  statusMessage?: string;
}

export interface PendingData extends Record<string, unknown> {
  kind: 'pending';
  count: number;
  level: SemanticLevel;
}

export interface ServiceData extends Record<string, unknown> {
  kind: 'service';
  namespace: string;
  name: string;
  type: ServiceInfo['type'];
  /** ClusterIP, `None` (headless) or the external name. */
  clusterIP: string;
  /** `80/TCP`, `80:30080/TCP` as kubectl get svc prints PORT(S). */
  ports: string;
  ready: number;
  endpoints: number;
  loadBalancerIP?: string;
}

export interface ExternalData extends Record<string, unknown> {
  kind: 'external';
  role: 'client' | 'lb';
  title: string;
  detail: string;
}

export type FlowNodeData = SegmentData | KubeNodeData | DeviceData | PodData | ServiceData | ExternalData | PendingData;
export type FlowNode = Node<FlowNodeData>;

export interface Flow {
  nodes: FlowNode[];
  edges: (Edge | BuiltInEdge)[];
}

const NO_PODS: ReadonlySet<string> = new Set();

/** Namespaces of the cluster's own components, drawn in a quieter style. */
export function isSystemNamespace(ns: string): boolean {
  return ns === 'kube-system' || ns.startsWith('kube-') || ns.endsWith('-system');
}

export function toFlow(cluster: Cluster, network: Network, options: FlowOptions = {}): Flow {
  const level = options.level ?? 'detail';
  const nodes: FlowNode[] = [];
  const edges: Flow['edges'] = [];
  const segment = network.segments[0];
  const segId = segment ? flowIds.segment(segment.name) : undefined;

  const keep = options.keep ?? NO_PODS;
  const podsByNode = new Map<string, PodRec[]>(cluster.nodes.map((n) => [n.meta.name, [] as PodRec[]]));
  const foldedByNode = new Map<string, number>();
  for (const pod of cluster.pods.values()) {
    const ns = pod.meta.namespace ?? 'default';
    if (options.foldSystem && isSystemNamespace(ns) && !keep.has(flowIds.pod(ns, pod.meta.name))) {
      foldedByNode.set(pod.nodeName, (foldedByNode.get(pod.nodeName) ?? 0) + 1);
      continue;
    }
    podsByNode.get(pod.nodeName)?.push(pod);
  }

  // Lay out node boxes first so the switch can span them.
  const boxes = cluster.nodes.map((node) => {
    const ns = network.get(netnsId.node(node.meta.name));
    const devices = ns ? nodeDevices(ns) : [];
    const pods = podsByNode.get(node.meta.name) ?? [];
    // Pods without an address yet (ContainerCreating, OutOfpods) keep a slot, without a veth.
    const podNet = pods.filter((p) => !p.hostNetwork);
    const hostNet = pods.filter((p) => p.hostNetwork);
    const folded = foldedByNode.get(node.meta.name) ?? 0;
    const layout = nodeBoxLayout(devices.length, podNet.length, hostNet.length, folded > 0);
    return { node, ns, devices, podNet, hostNet, layout, folded };
  });
  const positions = placeBoxes(boxes.map((b) => b.layout));
  const totalWidth = Math.max(0, ...positions.map((p, i) => p.x + boxes[i].layout.width));
  const shownPods = new Set<string>();

  if (segment && segId) {
    nodes.push({
      id: segId,
      type: 'segment',
      position: { x: 0, y: 0 },
      width: Math.max(totalWidth, 320),
      height: SEGMENT_H,
      draggable: false,
      selectable: false,
      data: { kind: 'segment', name: segment.name, cidr: segment.cidr.toString(), gateway: formatIpv4(segment.gateway), fabric: segment.fabric, ...(segment.cloud ? { network: segment.cloud.network } : {}) },
    });
  }

  boxes.forEach(({ node, ns, devices, podNet, hostNet, layout, folded }, i) => {
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
        podCIDR: node.podCIDR ? node.podCIDR.toString() : '—',
        ...podRangeField(cluster, node, segment?.cidr.toString()),
        podCount: podNet.length + hostNet.length + folded,
        systemPodCount: [...podNet, ...hostNet].filter((p) => isSystemNamespace(p.meta.namespace ?? 'default')).length + folded,
        kubeProxy: kubeProxyOn(cluster, name),
        level,
        ...(layout.hostPodsTitleY !== undefined ? { hostPodsTitleY: layout.hostPodsTitleY } : {}),
        ...(folded && layout.foldedY !== undefined ? { foldedSystem: { count: folded, y: layout.foldedY } } : {}),
        ...(level === 'overview' && [...podNet, ...hostNet].some((p) => keep.has(flowIds.pod(p.meta.namespace ?? 'default', p.meta.name))) ? { keepsPods: true } : {}),
      },
    });

    if (level === 'overview') {
      if (segId) edges.push({ id: `nicbox:${name}`, source: boxId, sourceHandle: 'up', target: segId, targetHandle: 'down', className: 'edge-nic', type: 'straight' });
      // The pods the trace visits stay drawn, at their detail-level places (the geometry is shared).
      podNet.forEach((pod, s) => {
        const podId = flowIds.pod(pod.meta.namespace ?? 'default', pod.meta.name);
        if (keep.has(podId)) nodes.push(child(podId, 'pod', boxId, layout.slots[s].pod, podData(pod)));
      });
      hostNet.forEach((pod, h) => {
        const podId = flowIds.pod(pod.meta.namespace ?? 'default', pod.meta.name);
        if (keep.has(podId)) nodes.push(child(podId, 'pod', boxId, layout.hostPods[h], podData(pod, formatIpv4(node.ip))));
      });
      return;
    }

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
      shownPods.add(podId);
    });

    hostNet.forEach((pod, h) => {
      // A hostNetwork pod the kubelet rejected (OutOfpods) does not run: no address.
      nodes.push(child(flowIds.pod(pod.meta.namespace ?? 'default', pod.meta.name), 'pod', boxId, layout.hostPods[h], podData(pod, pod.phase === 'Failed' ? undefined : formatIpv4(node.ip))));
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

  addPendingTray(cluster, level, positions.length ? Math.max(...positions.map((p, i) => p.y + boxes[i].layout.height)) : SEGMENT_H, nodes);
  if (options.services) addServices(options.services, options.focusService ?? null, segId, shownPods, nodes, edges);
  return { nodes, edges };
}

/** Pods the scheduler could not place: a tray under the nodes (absent when there are none). */
function addPendingTray(cluster: Cluster, level: SemanticLevel, below: number, nodes: FlowNode[]): void {
  const pending: PodRec[] = [];
  for (const p of cluster.pods.values()) if (!p.nodeName && p.phase === 'Pending') pending.push(p);
  if (!pending.length) return;
  const shown = level === 'detail' ? pending : [];
  const { tray, pods } = pendingTray(shown.length, below);
  const id = flowIds.pending();
  nodes.push({ id, type: 'pending', position: { x: tray.x, y: tray.y }, width: tray.width, height: tray.height, draggable: false, selectable: false, data: { kind: 'pending', count: pending.length, level } });
  shown.forEach((pod, i) => nodes.push(child(flowIds.pod(pod.meta.namespace ?? 'default', pod.meta.name), 'pod', id, pods[i], podData(pod))));
}

/** Endpoint edges are drawn for the focused Service when it has at most this many endpoints. */
const MAX_ENDPOINT_EDGES = 64;

/**
 * Service boxes (virtual: kube-proxy's rules on every node, not a device), their endpoint
 * edges to the pods behind them, and the outside client and cloud load balancer when a
 * Service is reachable from outside (NodePort, LoadBalancer, externalIPs).
 */
function addServices(table: ServiceTable, focus: string | null, segId: string | undefined, shownPods: Set<string>, nodes: FlowNode[], edges: Flow['edges']): void {
  const services = table.services;
  if (!services.length) return;
  const lbs = services.filter((s) => s.type === 'LoadBalancer');
  const external = services.some((s) => s.type === 'NodePort' || s.type === 'LoadBalancer' || s.externalIPs.length > 0);
  const externals: ExternalData[] = [];
  if (external) externals.push({ kind: 'external', role: 'client', title: 'outside client', detail: 'a host on the internet' });
  if (lbs.length) {
    const ips = lbs.map((s) => (s.loadBalancerIP !== undefined ? formatIpv4(s.loadBalancerIP) : 'pending')).join(', ');
    externals.push({ kind: 'external', role: 'lb', title: 'cloud load balancer', detail: ips });
  }
  const band = serviceBand(services.length, externals.length);
  externals.forEach((data, i) => {
    const id = flowIds.external(data.role);
    nodes.push({ id, type: 'external', position: { x: band.externals[i].x, y: band.externals[i].y }, width: band.externals[i].width, height: band.externals[i].height, draggable: false, selectable: false, data });
  });
  const hasLb = externals.some((e) => e.role === 'lb');
  if (external && segId) {
    const client = flowIds.external('client');
    const lb = flowIds.external('lb');
    if (hasLb) {
      edges.push({ id: 'ext:client-lb', source: client, sourceHandle: 'right', target: lb, targetHandle: 'left', className: 'edge-external', type: 'straight' });
      edges.push({ id: 'ext:lb-net', source: lb, sourceHandle: 'down', target: segId, targetHandle: 'top', className: 'edge-external', type: 'smoothstep' });
    } else {
      edges.push({ id: 'ext:client-net', source: client, sourceHandle: 'down', target: segId, targetHandle: 'top', className: 'edge-external', type: 'smoothstep' });
    }
  }
  services.forEach((svc, i) => {
    const id = flowIds.service(svc.namespace, svc.name);
    const r = band.services[i];
    nodes.push({ id, type: 'service', position: { x: r.x, y: r.y }, width: r.width, height: r.height, draggable: false, selectable: false, data: serviceData(svc) });
    if (focus !== `${svc.namespace}/${svc.name}` || svc.endpoints.length > MAX_ENDPOINT_EDGES) return;
    for (const ep of svc.endpoints) {
      if (!ep.pod) continue;
      const podId = flowIds.pod(ep.pod.namespace, ep.pod.name);
      if (!shownPods.has(podId)) continue;
      // Drawn above the node boxes with an arrowhead, so a line crossing another pod is not read as ending there.
      edges.push({
        id: `ep:${id}:${podId}`,
        source: id,
        sourceHandle: 'down',
        target: podId,
        targetHandle: 'top',
        className: ep.ready ? 'edge-endpoint' : 'edge-endpoint edge-endpoint--notready',
        type: 'straight',
        zIndex: 1000,
        markerEnd: { type: 'arrowclosed' as MarkerType, width: 18, height: 18 },
      });
    }
  });
}

/** kubectl get svc PORT(S): `80/TCP`, `80:30080/TCP`, joined with commas. */
export function servicePorts(svc: ServiceInfo): string {
  if (!svc.ports.length) return '<none>';
  return svc.ports.map((p) => `${p.port}${p.nodePort !== undefined ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',');
}

function serviceData(svc: ServiceInfo): ServiceData {
  const clusterIP = svc.type === 'ExternalName' ? (svc.externalName ?? '') : svc.clusterIP === null ? 'None' : formatIpv4(svc.clusterIP);
  return {
    kind: 'service',
    namespace: svc.namespace,
    name: svc.name,
    type: svc.type,
    clusterIP,
    ports: servicePorts(svc),
    ready: svc.endpoints.filter((e) => e.ready).length,
    endpoints: svc.endpoints.length,
    ...(svc.loadBalancerIP !== undefined ? { loadBalancerIP: formatIpv4(svc.loadBalancerIP) } : {}),
  };
}

/** kube-proxy runs as a DaemonSet pod on each node; `none` when it is off or no pod runs on the node. */
function kubeProxyOn(cluster: Cluster, node: string): string {
  if (cluster.config.kubeProxy === 'none') return 'none';
  for (const p of cluster.pods.values()) {
    if (p.nodeName === node && p.meta.namespace === 'kube-system' && p.meta.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === 'kube-proxy')) return cluster.config.kubeProxy;
  }
  return 'none';
}

/** The CNI's own pod range when it is not spec.podCIDR (see KubeNodeData.podRange). */
function podRangeField(cluster: Cluster, node: NodeRec, segmentCidr: string | undefined): { podRange?: KubeNodeData['podRange'] } {
  const cni = cluster.config.cni;
  if (cni === 'aws-vpc') return { podRange: { label: 'pod IPs from the VPC subnet', cidrs: segmentCidr ?? cluster.config.nodeNetwork.toString() } };
  if (cni === 'azure-cni') return { podRange: { label: `${node.secondaryIps?.length ?? 0} NIC IPs from the VNet subnet`, cidrs: segmentCidr ?? cluster.config.nodeNetwork.toString() } };
  if (!node.blocks.length) return {};
  const cidrs = node.blocks.map((b) => b.toString()).join(', ');
  if (node.podCIDR && cidrs === node.podCIDR.toString()) return {};
  const label = cni.startsWith('calico') ? 'Calico IPAM blocks' : cni.startsWith('cilium') ? 'CiliumNode podCIDRs' : cni === 'weave' ? 'Weave IPAM range' : 'CNI ranges';
  return { podRange: { label, cidrs } };
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

/** Labels the controllers add for themselves: noise on a drawing. */
const HIDDEN_LABELS = new Set(['pod-template-hash', 'controller-revision-hash', 'pod-template-generation', 'statefulset.kubernetes.io/pod-name']);

function podData(pod: PodRec, hostIp?: string): PodData {
  const namespace = pod.meta.namespace ?? 'default';
  const daemon = !!pod.meta.ownerReferences?.some((o) => o.kind === 'DaemonSet');
  return {
    kind: 'pod',
    node: pod.nodeName,
    namespace,
    name: pod.meta.name,
    ip: pod.attachment ? formatIpv4(pod.attachment.ip) : (hostIp ?? ''),
    hostNetwork: pod.hostNetwork,
    system: isSystemNamespace(namespace),
    labels: Object.entries(pod.meta.labels)
      .filter(([k]) => !HIDDEN_LABELS.has(k))
      .map(([k, v]) => `${k}=${v}`),
    movable: !pod.hostNetwork && !daemon && !!pod.attachment,
    ...(pod.status ? { status: pod.status.display, ...(pod.status.message ? { statusMessage: pod.status.message } : {}) } : {}),
  };
}

/** spec.podCIDR, else the IPAM blocks the CNI gave the node (Calico), else `—`. */
export function podRangeOf(node: NodeRec): string {
  if (node.podCIDR) return node.podCIDR.toString();
  if (node.blocks.length) return node.blocks.map((b) => b.toString()).join(', ');
  return '—';
}
