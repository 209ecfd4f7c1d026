/**
 * Azure CNI (azure-vnet) in its current default mode, **transparent**: no bridge. AKS lists the
 * network modes as "transparent: No bridge is created. Intra-VM Pod to Pod communication is
 * through IP routes created by Azure CNI" and "bridge: This is no longer supported" (ARM
 * containerservice KnownNetworkMode); aks-engine#3958 switched its default to transparent, and
 * the plugin's own conflists (cni/azure-linux.conflist, cni/azure-linux-swift-overlay.conflist)
 * say `"mode":"transparent"`. The old bridge mode's `azure0` bridge is not modelled.
 *
 * What azure-vnet does per pod (azure-container-networking network/endpoint_linux.go,
 * network/transparent_endpointclient_linux.go, network/networkutils/networkutils_linux.go):
 * - a veth pair made in the host: `azv` + sha1("<namespace>.<pod>")[:11] (generateVethName over
 *   cni/network/network.go's `fmt.Sprintf("%s.%s", k8sNamespace, k8sPodName)`), the host end
 *   with the fixed MAC aa:aa:aa:aa:aa:aa (defaultHostVethHwAddr) and proxy_arp=1, both ends with
 *   the primary NIC's MTU;
 * - node: `<pod ip> dev azv… scope link` (AddEndpointRules, "ip route add <podip> dev <hostveth>");
 * - pod: eth0 `<ip>/<subnet prefix>` with the kernel's connected route deleted again,
 *   `169.254.1.1 dev eth0 scope link`, `default via 169.254.1.1 dev eth0`, and a static neighbour
 *   169.254.1.1 → the host veth's MAC (written NUD_PROBE; the host veth's proxy ARP confirms it).
 *
 * Between nodes there is no tunnel: the packet leaves eth0 for the VNet, which delivers it by IP
 * to the NIC holding the address (azure-cni: the pod IP is a secondary IP configuration of the
 * node's NIC; overlay: the VNet routes each node's overlay /24 to the node, AKS docs "Azure CNI
 * Overlay networking": "pods ... communicate directly ... without encapsulation"). That makes
 * the node network a `vpc` fabric here, as for AWS.
 */
import { Cidr, type Ipv4 } from '../addressing/ipv4';
import type { NodeRec, PodRec } from '../model/cluster';
import type { Neighbor, Route } from '../model/netns';
import { sha1Hex } from '../util/hash';
import { baseNodeNetns, basePodNetns, hostVeth, podNetworkPods, sortRoutesKernelOrder } from './common';
import type { CniPlugin, PlumbContext } from './plugin';
import { AZURE_FIRST_HOST } from '../addressing/ipam/azure';

/** transparent_endpointclient_linux.go virtualGwIPString. */
export const AZURE_POD_GATEWAY: Ipv4 = (169 << 24) + (254 << 16) + (1 << 8) + 1;
/** transparent_endpointclient_linux.go defaultHostVethHwAddr: every host veth has it. */
export const AZURE_HOST_VETH_MAC = 'aa:aa:aa:aa:aa:aa';

/** network/endpoint_linux.go: hostVEthInterfacePrefix `az` + `v`, then sha1(key)[:11]. */
export function azureHostIfname(namespace: string, name: string): string {
  return 'azv' + sha1Hex(`${namespace}.${name}`).slice(0, 11);
}

function buildNode(ctx: PlumbContext, node: NodeRec) {
  const ns = baseNodeNetns(ctx, node);
  const pods = podNetworkPods(ctx, node.meta.name);
  // azure-cni: the NIC's secondary IP configurations (all of them, used or not) are the node's
  // addresses in the VNet's eyes; the overlay's pod IPs are routed to the node by the VNet instead.
  if (ctx.config.cni === 'azure-cni') ns.links[1].secondaryIps = [...(node.secondaryIps ?? pods.map((p) => p.attachment!.ip))];
  const routes: Route[] = [];
  for (const pod of pods) {
    const a = pod.attachment!;
    ns.links.push(hostVeth(pod, { proxyArp: true }));
    // setArpProxy: `echo 1 > /proc/sys/net/ipv4/conf/<hostveth>/proxy_arp`.
    ns.sysctl[`net.ipv4.conf.${a.hostIfname}.proxy_arp`] = '1';
    routes.push({ type: 'unicast', dst: Cidr.host(a.ip), dev: a.hostIfname, scope: 'link' });
  }
  ns.routes.push(...routes);
  sortRoutesKernelOrder(ns.routes);
  return ns;
}

function buildPod(_ctx: PlumbContext, pod: PodRec) {
  const a = pod.attachment!;
  const routes: Route[] = [
    { type: 'unicast', dst: new Cidr(0, 0), via: AZURE_POD_GATEWAY, dev: 'eth0' },
    { type: 'unicast', dst: Cidr.host(AZURE_POD_GATEWAY), dev: 'eth0', scope: 'link' },
  ];
  const neighbors: Neighbor[] = [{ ip: AZURE_POD_GATEWAY, dev: 'eth0', mac: a.hostMac, state: 'REACHABLE', programmed: true }];
  return basePodNetns(pod, routes, neighbors);
}

/** /etc/cni/net.d/10-azure.conflist: cni/azure-linux.conflist (node subnet) and cni/azure-linux-swift-overlay.conflist (overlay). */
function conflist(overlay: boolean): string {
  const ipam = overlay ? `{\n            "type":"azure-cns",\n            "mode":"v4overlay"\n         }` : `{\n            "type":"azure-vnet-ipam"\n         }`;
  return `{
   "cniVersion":"0.3.0",
   "name":"azure",
   "plugins":[
      {
         "type":"azure-vnet",
         "mode":"transparent",
         "ipsToRouteViaHost":["169.254.20.10"],
         "ipam":${ipam}
      },
      {
         "type":"portmap",
         "capabilities":{
            "portMappings":true
         },
         "snat":true
      }
   ]
}
`;
}

/** `ls /opt/cni/bin` on an AKS node: the Azure binaries beside the reference plugins. */
const BINARIES = ['azure-vnet', 'azure-vnet-ipam', 'azure-vnet-ipamv6', 'azure-vnet-telemetry', 'azure-vnet-telemetry.config', 'bandwidth', 'bridge', 'dhcp', 'firewall', 'host-device', 'host-local', 'ipvlan', 'loopback', 'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tuning', 'vlan', 'vrf'];

/** The Container Networking Service DaemonSet (azure-container-networking cns/azure-cns.yaml, label k8s-app: azure-cns). */
const CNS_DAEMONSET = { name: 'azure-cns', namespace: 'kube-system', image: 'mcr.microsoft.com/containernetworking/azure-cns:v1.7.17', containerName: 'cns-container' };

function azurePlugin(mode: 'azure-cni' | 'azure-cni-overlay'): CniPlugin {
  const overlay = mode === 'azure-cni-overlay';
  return {
    mode,
    ipam: overlay ? 'azure-cns-overlay' : 'azure-vnet',
    usesNodePodCIDR: overlay,
    // No encapsulation: SetLinkMTU(primaryIf.MTU) on both veth ends.
    podMtu: (config) => config.nodeMtu,
    // AssignIPToInterface with the IP config's subnet prefix: the node subnet's, or (overlay) the overlay CIDR's (CNS IPSubnet.PrefixLength = SubnetAddressSpace bits).
    podPrefix: (config) => (overlay ? config.podCIDR.prefix : config.nodeNetwork.prefix),
    hostIfname: (pod) => azureHostIfname(pod.meta.namespace ?? 'default', pod.meta.name),
    fixedHostMac: AZURE_HOST_VETH_MAC,
    buildNode,
    buildPod,
    nodeFiles: () => ({ '/etc/cni/net.d/10-azure.conflist': conflist(overlay) }),
    binaries: BINARIES,
    daemonSet: CNS_DAEMONSET,
    nodeAddressing: { firstHost: AZURE_FIRST_HOST, holdsPodIps: !overlay },
    fabric: 'vpc',
    cloud: { provider: 'azure', network: 'VNet' },
    // azure-cni: every IP configuration of the NIC, used by a pod or not, is the NIC's: any VM of the
    // VNet reaches it. Overlay: the node's /24 is routed to it for the cluster's nodes only ("Pods
    // ... aren't directly reachable from outside the cluster": AKS docs, Azure CNI Overlay).
    fabricRoutes: (_ctx, node) =>
      overlay
        ? node.podCIDR
          ? [{ dst: node.podCIDR, node: node.meta.name, dev: 'eth0', kind: 'overlay-range' as const, reach: 'cluster' as const }]
          : []
        : (node.secondaryIps ?? []).map((ip) => ({ dst: Cidr.host(ip), node: node.meta.name, dev: 'eth0', kind: 'secondary-ip' as const, reach: 'vpc' as const })),
  };
}

export const azureCniPlugin = azurePlugin('azure-cni');
export const azureCniOverlayPlugin = azurePlugin('azure-cni-overlay');
