/**
 * AWS VPC CNI (aws-node + the aws-cni plugin): no overlay. Pod IPs are secondary IPs of the
 * node's ENI in the VPC subnet (our node network), so the VPC fabric delivers them to the
 * node like its own address (segment fabric `vpc`, answered by cni/network.ts arpOnSegment
 * from eth0's `secondaryIps`), and the node routes each one to its pod with a /32 link route.
 *
 * Per pod (cmd/routed-eni-cni-plugin/driver/driver.go, setupNS):
 * - host veth `eni` + sha1("<namespace>.<name>")[:11] (pkg/networkutils GeneratePodHostVethName);
 * - pod eth0 `<ip>/32`, `default via 169.254.1.1 dev eth0`, `169.254.1.1 dev eth0 scope link`,
 *   and a PERMANENT neighbour 169.254.1.1 → the host veth's MAC (no proxy ARP needed);
 * - node: `<pod ip> dev eni… scope link` and the rule `512: from all to <pod ip> lookup main`.
 *
 * Approximations: every pod IP sits on the primary ENI (eth0). Real nodes attach secondary
 * ENIs (eth1, ...) once the primary's IPs run out, with `1536: from <pod ip> lookup <n+1>`
 * rules and per-ENI tables; those and the iptables SNAT are not modelled.
 */
import { Cidr, type Ipv4 } from '../addressing/ipv4';
import type { NodeRec, PodRec } from '../model/cluster';
import type { Neighbor, Route, RouteRule } from '../model/netns';
import { sha1Hex } from '../util/hash';
import { baseNodeNetns, basePodNetns, hostVeth, podNetworkPods, sortRoutesKernelOrder } from './common';
import type { CniPlugin, PlumbContext } from './plugin';

/** The link-local gateway every pod routes through (driver.go: `169.254.1.1`). */
export const AWS_POD_GATEWAY: Ipv4 = (169 << 24) + (254 << 16) + (1 << 8) + 1;

/** ip rule priorities (pkg/networkutils: toContainerRulePriority 512, fromContainerRulePriority 1536). */
export const TO_CONTAINER_RULE_PRIORITY = 512;
const MAIN_ENI_RULE_PRIORITY = 1024;

/** AWS_VPC_K8S_CNI_VETHPREFIX default. */
const VETH_PREFIX = 'eni';

/** `eni` + sha1("<namespace>.<name>")[:11]: 14 characters, under IFNAMSIZ (pkg/networkutils/names.go). */
export function awsHostIfname(namespace: string, name: string): string {
  return VETH_PREFIX + sha1Hex(`${namespace}.${name}`).slice(0, 11);
}

const STANDARD_CNI_BINARIES = ['bandwidth', 'bridge', 'dhcp', 'dummy', 'firewall', 'host-device', 'host-local', 'ipvlan', 'loopback', 'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tap', 'tuning', 'vlan', 'vrf'];

function buildNode(ctx: PlumbContext, node: NodeRec) {
  const ns = baseNodeNetns(ctx, node);
  const pods = podNetworkPods(ctx, node.meta.name);
  // The ENI's secondary private IPs: what the VPC delivers to this node.
  ns.links[1].secondaryIps = pods.map((p) => p.attachment!.ip);
  const routes: Route[] = [];
  const rules: RouteRule[] = [];
  for (const pod of pods) {
    const a = pod.attachment!;
    ns.links.push(hostVeth(pod));
    routes.push({ type: 'unicast', dst: Cidr.host(a.ip), dev: a.hostIfname, scope: 'link' });
    rules.push({ priority: TO_CONTAINER_RULE_PRIORITY, to: Cidr.host(a.ip), table: 'main' });
  }
  // pkg/networkutils SetupHostNetwork: replies to NodePort traffic (connmark 0x80, AWS_VPC_K8S_CNI_CONNMARK) use main.
  rules.push({ priority: MAIN_ENI_RULE_PRIORITY, fwmark: { value: 0x80, mask: 0x80 }, table: 'main' });
  ns.routes.push(...routes);
  sortRoutesKernelOrder(ns.routes);
  ns.rules.push(...rules);
  return ns;
}

function buildPod(_ctx: PlumbContext, pod: PodRec) {
  const a = pod.attachment!;
  const routes: Route[] = [
    { type: 'unicast', dst: new Cidr(0, 0), via: AWS_POD_GATEWAY, dev: 'eth0' },
    { type: 'unicast', dst: Cidr.host(AWS_POD_GATEWAY), dev: 'eth0', scope: 'link' },
  ];
  const neighbors: Neighbor[] = [{ ip: AWS_POD_GATEWAY, dev: 'eth0', mac: a.hostMac, state: 'PERMANENT' }];
  return basePodNetns(pod, routes, neighbors);
}

/** misc/10-aws.conflist as aws-node's entrypoint fills it for an IPv4 cluster (egress-cni disabled). */
function conflist(mtu: number): string {
  return `{
  "cniVersion": "0.4.0",
  "name": "aws-cni",
  "disableCheck": true,
  "plugins": [
    {
      "name": "aws-cni",
      "type": "aws-cni",
      "vethPrefix": "${VETH_PREFIX}",
      "mtu": "${mtu}",
      "podSGEnforcingMode": "strict",
      "pluginLogFile": "/var/log/aws-routed-eni/plugin.log",
      "pluginLogLevel": "DEBUG"
    },
    {
      "name": "egress-cni",
      "type": "egress-cni",
      "mtu": "${mtu}",
      "enabled": "false",
      "randomizeSNAT": "prng",
      "nodeIP": "",
      "ipam": {
         "type": "host-local",
         "ranges": [[{"subnet": "fd00::ac:00/118"}]],
         "routes": [{"dst": "::/0"}],
         "dataDir": "/run/cni/v4pd/egress-v6-ipam"
      },
      "pluginLogFile": "/var/log/aws-routed-eni/egress-v6-plugin.log",
      "pluginLogLevel": "DEBUG"
    },
    {
      "type": "portmap",
      "capabilities": {"portMappings": true},
      "snat": true
    }
  ]
}
`;
}

export const awsVpcPlugin: CniPlugin = {
  mode: 'aws-vpc',
  ipam: 'aws-vpc',
  usesNodePodCIDR: false,
  // No encapsulation: pods get the ENI's MTU (AWS_VPC_ENI_MTU, 9001 on EC2; here the node MTU).
  podMtu: (config) => config.nodeMtu,
  podPrefix: () => 32,
  hostIfname: (pod) => awsHostIfname(pod.meta.namespace ?? 'default', pod.meta.name),
  buildNode,
  buildPod,
  nodeFiles: (ctx) => ({ '/etc/cni/net.d/10-aws.conflist': conflist(ctx.config.nodeMtu) }),
  binaries: [...STANDARD_CNI_BINARIES, 'aws-cni', 'aws-cni-support.sh', 'egress-cni'].sort(),
  daemonSet: { name: 'aws-node', namespace: 'kube-system', image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.0-eksbuild.1', containerName: 'aws-node' },
  fabric: 'vpc',
  cloud: { provider: 'aws', network: 'VPC' },
  // Each pod IP is a secondary private IP of the node's ENI: the VPC delivers it to that ENI.
  fabricRoutes: (ctx, node) => podNetworkPods(ctx, node.meta.name).map((p) => ({ dst: Cidr.host(p.attachment!.ip), node: node.meta.name, dev: 'eth0', kind: 'secondary-ip', reach: 'vpc' })),
};
