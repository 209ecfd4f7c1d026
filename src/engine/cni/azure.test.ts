import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Cidr, formatIpv4 } from '../addressing/ipv4';
import { loadCluster } from '../load';
import type { Cluster } from '../model/cluster';
import { netnsId } from '../model/ids';
import type { Netns } from '../model/netns';
import { formatScenarioError } from '../model/source';
import { trace } from '../trace/tracer';
import { sha1Hex } from '../util/hash';
import { AZURE_HOST_VETH_MAC, AZURE_POD_GATEWAY, azureCniOverlayPlugin, azureCniPlugin, azureHostIfname } from './azure';
import { networkOf } from './network';
import { routeLine } from './testCluster';

function aks(cni: string, extra = ''): Cluster {
  return aksWith(cni, extra, '');
}

const webPods = (c: Cluster) => [...c.pods.values()].filter((p) => p.meta.name.startsWith('web-'));
const ips = (list: number[]) => list.map(formatIpv4);

describe('azure-cni (node subnet, transparent mode)', () => {
  const c = aks('azure-cni');
  const net = networkOf(c);

  it('takes AKS defaults: subnet 10.224.0.0/16 in VNet 10.224.0.0/12, Services 10.0.0.0/16, max pods 30', () => {
    expect(c.config.nodeNetwork.toString()).toBe('10.224.0.0/16');
    expect(c.config.vnetCIDR?.toString()).toBe('10.224.0.0/12');
    expect(c.config.serviceCIDR.toString()).toBe('10.0.0.0/16');
    expect(c.nodes.map((n) => n.capacityPods)).toEqual([30, 30, 30]);
  });

  it('interleaves node IPs with the 30 secondary IPs each NIC is created with, from .4', () => {
    expect(ips(c.nodes.map((n) => n.ip))).toEqual(['10.224.0.4', '10.224.0.35', '10.224.0.66']);
    const [n0, n1] = c.nodes;
    expect(ips(n0.secondaryIps!)).toEqual(Array.from({ length: 30 }, (_, i) => `10.224.0.${5 + i}`));
    expect(formatIpv4(n1.secondaryIps![0])).toBe('10.224.0.36');
    expect(formatIpv4(n1.secondaryIps![29])).toBe('10.224.0.65');
    expect(n0.podCIDR).toBeNull();
    for (const p of c.pods.values()) {
      if (!p.attachment) continue;
      const node = c.nodes.find((n) => n.meta.name === p.nodeName)!;
      expect(node.secondaryIps).toContain(p.attachment.ip);
    }
  });

  it('builds the transparent-mode node: azv veths with aa:aa:aa:aa:aa:aa and proxy ARP, a /32 route each, no bridge', () => {
    const node = c.nodes[1];
    const ns = net.get(netnsId.node(node.meta.name)) as Netns;
    const pods = webPods(c).filter((p) => p.nodeName === node.meta.name);
    expect(pods.length).toBeGreaterThan(0);
    const veths = ns.links.filter((l) => l.kind === 'veth');
    expect(veths.map((l) => l.name).sort()).toEqual(
      [...c.pods.values()]
        .filter((p) => p.nodeName === node.meta.name && p.attachment)
        .map((p) => 'azv' + sha1Hex(`${p.meta.namespace}.${p.meta.name}`).slice(0, 11))
        .sort(),
    );
    for (const v of veths) {
      expect(v.mac).toBe(AZURE_HOST_VETH_MAC);
      expect(v.proxyArp).toBe(true);
      expect(v.mtu).toBe(1500);
      expect(v.master).toBeUndefined();
    }
    expect(ns.links.some((l) => l.kind === 'bridge' || l.kind === 'vxlan' || l.kind === 'ipip')).toBe(false);
    const local = [...c.pods.values()].filter((p) => p.nodeName === node.meta.name && p.attachment).sort((a, b) => a.attachment!.ip - b.attachment!.ip);
    expect(ns.routes.map(routeLine)).toEqual([
      'default via 10.224.0.1 dev eth0 proto static',
      '10.224.0.0/16 dev eth0 proto kernel scope link src 10.224.0.35',
      ...local.map((p) => `${formatIpv4(p.attachment!.ip)} dev ${p.attachment!.hostIfname} scope link`),
    ]);
    expect(ns.links[1].secondaryIps).toEqual(node.secondaryIps);
  });

  it('gives the pod its subnet address with the subnet prefix, default via 169.254.1.1 and a static neighbour for it', () => {
    const pod = webPods(c)[0];
    const a = pod.attachment!;
    expect(a.hostIfname).toBe(azureHostIfname('default', pod.meta.name));
    const ns = net.get(netnsId.pod('default', pod.meta.name)) as Netns;
    expect(ns.links[1].addrs.map((x) => `${formatIpv4(x.ip)}/${x.prefix}`)).toEqual([`${formatIpv4(a.ip)}/16`]);
    expect(ns.routes.map(routeLine)).toEqual(['default via 169.254.1.1 dev eth0', '169.254.1.1 dev eth0 scope link']);
    expect(ns.neighbors).toEqual([{ ip: AZURE_POD_GATEWAY, dev: 'eth0', mac: AZURE_HOST_VETH_MAC, state: 'REACHABLE', programmed: true }]);
  });

  it('crosses nodes through the VNet with no encapsulation', () => {
    const pods = webPods(c);
    const a = pods.find((p) => p.nodeName === c.nodes[1].meta.name)!;
    const b = pods.find((p) => p.nodeName === c.nodes[2].meta.name)!;
    const r = trace(c, { from: `default/${a.meta.name}`, to: `default/${b.meta.name}`, proto: 'icmp' });
    expect(r.verdict).toBe('delivered');
    const hops = r.hops;
    const wire = hops.filter((h) => h.action === 'wire');
    expect(wire).toHaveLength(1);
    expect(wire[0].detail).toContain(formatIpv4(b.attachment!.ip));
    // The packet on the wire is the pod's own: source and destination pod IPs, no outer header.
    expect(wire[0].packet).toMatchObject({ src: formatIpv4(a.attachment!.ip), dst: formatIpv4(b.attachment!.ip) });
    expect(wire[0].packet.encap).toBeUndefined();
    expect(wire[0].fabric).toEqual({ network: 'VNet', route: `${formatIpv4(b.attachment!.ip)}/32`, kind: 'secondary-ip', node: b.nodeName, dev: 'eth0' });
    expect(hops.some((h) => /encap/i.test(h.action))).toBe(false);
    expect(r.reply?.verdict).toBe('delivered');
  });

  it('installs the transparent-mode conflist with azure-vnet-ipam', () => {
    const conf = JSON.parse(azureCniPlugin.nodeFiles(net.ctx, c.nodes[0])['/etc/cni/net.d/10-azure.conflist']);
    expect(conf.plugins[0]).toMatchObject({ type: 'azure-vnet', mode: 'transparent', ipam: { type: 'azure-vnet-ipam' } });
  });
});

describe('azure-cni-overlay', () => {
  const c = aks('azure-cni-overlay');
  const net = networkOf(c);

  it('numbers nodes from .4 of the subnet and gives each a /24 of 10.244.0.0/16, max pods 250', () => {
    expect(ips(c.nodes.map((n) => n.ip))).toEqual(['10.224.0.4', '10.224.0.5', '10.224.0.6']);
    expect(c.nodes.map((n) => n.podCIDR?.toString())).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    expect(c.nodes.map((n) => n.capacityPods)).toEqual([250, 250, 250]);
    for (const p of c.pods.values()) if (p.attachment) expect(c.nodes.find((n) => n.meta.name === p.nodeName)!.podCIDR!.contains(p.attachment.ip)).toBe(true);
  });

  it('builds the same transparent datapath, the pod address with the overlay prefix', () => {
    const pod = webPods(c)[0];
    const ns = net.get(netnsId.pod('default', pod.meta.name)) as Netns;
    expect(ns.links[1].addrs[0].prefix).toBe(16);
    const node = net.get(netnsId.node(pod.nodeName)) as Netns;
    expect(node.routes.map(routeLine)).toContain(`${formatIpv4(pod.attachment!.ip)} dev ${pod.attachment!.hostIfname} scope link`);
    expect(node.links[1].secondaryIps).toBeUndefined();
    const conf = JSON.parse(azureCniOverlayPlugin.nodeFiles(net.ctx, c.nodes[0])['/etc/cni/net.d/10-azure.conflist']);
    expect(conf.plugins[0].ipam).toEqual({ type: 'azure-cns', mode: 'v4overlay' });
  });

  it('routes overlay pod IPs between nodes without encapsulation', () => {
    const pods = webPods(c);
    const a = pods.find((p) => p.nodeName === c.nodes[1].meta.name)!;
    const b = pods.find((p) => p.nodeName === c.nodes[2].meta.name)!;
    const r = trace(c, { from: `default/${a.meta.name}`, to: `default/${b.meta.name}`, proto: 'icmp' });
    expect(r.verdict).toBe('delivered');
    const wire = r.hops.filter((h) => h.action === 'wire');
    expect(wire).toHaveLength(1);
    expect(wire[0].packet).toMatchObject({ src: formatIpv4(a.attachment!.ip), dst: formatIpv4(b.attachment!.ip) });
    expect(wire[0].packet.encap).toBeUndefined();
    expect(wire[0].fabric).toEqual({ network: 'VNet', route: c.nodes[2].podCIDR!.toString(), kind: 'overlay-range', node: b.nodeName, dev: 'eth0' });
    expect(wire[0].detail).toBe(`VNet fabric: overlay range ${c.nodes[2].podCIDR!.toString()} → node ${b.nodeName}`);
  });
});

describe('AKS checks of the address plan', () => {
  const load = (cni: string, extra: string) => loadCluster([{ name: 'aks.yaml', text: `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: aks}\nspec:\n  cni: ${cni}\n${extra}` }]);
  const messages = (r: ReturnType<typeof load>) => (r.ok ? [] : r.errors.map((e) => e.message));

  it('refuses a node subnet smaller than nodes × (max pods + 1) with InsufficientSubnetSize', () => {
    const r = load('azure-cni', '  nodeNetwork: 10.224.0.0/26\n');
    expect(messages(r)).toContain('InsufficientSubnetSize: Pre-allocated IPs 93 exceeds IPs available 59 in Subnet Cidr 10.224.0.0/26, Subnet Name aks-subnet. http://aka.ms/aks/insufficientsubnetsize');
    expect(load('azure-cni', '  nodeNetwork: 10.224.0.0/25\n').ok).toBe(true);
  });

  it('refuses an overlay pod CIDR inside the VNet with NetworkProfileCIDROverlapVNET', () => {
    const r = load('azure-cni-overlay', '  podCIDR: 10.225.0.0/16\n');
    expect(messages(r)).toContain('NetworkProfileCIDROverlapVNET: NetworkProfile CIDR 10.225.0.0/16 overlaps with reserved VNET CIDR 10.224.0.0/12');
  });

  it('refuses a node subnet outside the VNet, and Azure fields on other CNIs', () => {
    expect(messages(load('azure-cni', '  vnetCIDR: 10.100.0.0/16\n')).join('\n')).toContain("NetcfgSubnetRangeOutsideVnet: Subnet 'aks-subnet' is not valid");
    expect(messages(load('flannel', '  vnetCIDR: 10.224.0.0/12\n')).join('\n')).toContain('applies to azure-cni and azure-cni-overlay only, not flannel');
    expect(messages(load('flannel', '  networkPolicy: azure\n')).join('\n')).toContain('Unsupported value: "azure": supported values: "calico"');
    expect(messages(load('azure-cni', '  networkPolicy: cilium\n')).join('\n')).toContain('Unsupported value: "cilium"');
  });

  it('a node subnet that holds them all is accepted; the VNet CIDR and policy survive a round trip', () => {
    const r = load('azure-cni', '  vnetCIDR: 10.0.0.0/8\n  nodeNetwork: 10.30.0.0/24\n  networkPolicy: azure\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.config.vnetCIDR?.equals(Cidr.parse('10.0.0.0/8')!)).toBe(true);
    expect(r.value.config.networkPolicy).toBe('azure');
  });
});

describe('Azure from outside the cluster and back out', () => {
  it('azure-cni: a VM in the VNet reaches a pod IP directly (a NIC secondary IP), and pods reach it unSNATed', () => {
    const c = aks('azure-cni');
    const pod = webPods(c)[0];
    const r = trace(c, { from: 'external/vm', to: `default/${pod.meta.name}`, proto: 'tcp', port: 80 });
    expect(r.verdict, r.reason).toBe('delivered');
    expect(r.hops.find((h) => h.action === 'wire')?.fabric).toMatchObject({ network: 'VNet', kind: 'secondary-ip', node: pod.nodeName, route: `${formatIpv4(pod.attachment!.ip)}/32` });
    const vm = networkOf(c).get(netnsId.external('vm'))!;
    const vmIp = vm.links[1].addrs[0].ip;
    // The VM was created after the nodes: it takes the first address no NIC holds.
    expect(formatIpv4(vmIp)).toBe('10.224.0.97');
    const out = trace(c, { from: `default/${pod.meta.name}`, to: 'external/vm', proto: 'icmp' });
    expect(out.verdict).toBe('delivered');
    expect(out.hops[out.hops.length - 1].packet.src).toBe(formatIpv4(pod.attachment!.ip));
  });

  it('azure-cni-overlay: the VNet routes the overlay ranges for the cluster only; the VM cannot reach a pod, a pod reaches the VM as its node', () => {
    const c = aks('azure-cni-overlay');
    const pod = webPods(c)[0];
    const r = trace(c, { from: 'external/vm', to: `default/${pod.meta.name}`, proto: 'tcp', port: 80 });
    expect(r.verdict).not.toBe('delivered');
    expect(r.hops.some((h) => h.netns.startsWith('node/'))).toBe(false);
    const out = trace(c, { from: `default/${pod.meta.name}`, to: 'external/vm', proto: 'icmp' });
    expect(out.verdict).toBe('delivered');
    const node = c.nodes.find((n) => n.meta.name === pod.nodeName)!;
    expect(out.hops[out.hops.length - 1].packet.src).toBe(formatIpv4(node.ip));
    expect(out.hops.some((h) => h.detail.includes('IP-MASQ-AGENT') && h.detail.includes('MASQUERADE'))).toBe(true);
    expect(out.reply?.verdict).toBe('delivered');
  });
});

describe('NetworkPolicy on Azure CNI (spec.networkPolicy)', () => {
  const denyAll = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-web}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
`;
  const twoOnOtherNodes = (c: Cluster) => {
    const pods = webPods(c);
    const a = pods.find((p) => p.nodeName === c.nodes[1].meta.name)!;
    const b = pods.find((p) => p.nodeName === c.nodes[2].meta.name)!;
    return trace(c, { from: `default/${a.meta.name}`, to: `default/${b.meta.name}`, proto: 'tcp', port: 80 });
  };

  it('none (the AKS default): accepted, not enforced, and the trace says so', () => {
    const r = twoOnOtherNodes(aksWith('azure-cni', '', denyAll));
    expect(r.verdict).toBe('delivered');
    expect(r.hops.some((h) => h.detail.includes('NOT ENFORCED') && h.detail.includes('--network-policy none'))).toBe(true);
  });

  it('azure: Azure NPM drops it in AZURE-NPM-INGRESS on the receiving node', () => {
    const r = twoOnOtherNodes(aksWith('azure-cni', '  networkPolicy: azure\n', denyAll));
    expect(r.verdict).toBe('dropped');
    expect(r.hops[r.hops.length - 1].detail).toContain('AZURE-NPM-INGRESS-DROPS');
  });

  it('calico: Felix drops it in cali-tw-azv… (policy-only mode on the azv interfaces)', () => {
    const r = twoOnOtherNodes(aksWith('azure-cni-overlay', '  networkPolicy: calico\n', denyAll));
    expect(r.verdict).toBe('dropped');
    expect(r.hops[r.hops.length - 1].detail).toMatch(/cali-tw-azv[0-9a-f]{11}/);
  });
});

function aksWith(cni: string, extra: string, docs: string): Cluster {
  const base = `apiVersion: podpath/v1alpha1
kind: Cluster
metadata: {name: aks}
spec:
  cni: ${cni}
${extra}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
${docs}`;
  const r = loadCluster([{ name: 'aks.yaml', text: base }]);
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return r.value;
}

describe('the Azure scenarios and examples', () => {
  const read = (f: string) => readFileSync(new URL(`../../scenarios/${f}`, import.meta.url), 'utf8');
  const load = (f: string) => {
    const r = loadCluster([{ name: f, text: read(f) }]);
    if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
    return r.value;
  };

  it('are the same files in src/scenarios and public/examples', () => {
    for (const f of ['azure-cni.yaml', 'azure-cni-overlay.yaml']) expect(readFileSync(new URL(`../../../public/examples/${f}`, import.meta.url), 'utf8')).toBe(read(f));
  });

  it('azure-cni.yaml: interleaved node IPs, the VM reaches a pod, Azure NPM lets only the client reach api', () => {
    const c = load('azure-cni.yaml');
    expect(ips(c.nodes.map((n) => n.ip))).toEqual(['10.224.0.4', '10.224.0.35', '10.224.0.66']);
    expect(trace(c, { from: 'client', to: 'api', proto: 'tcp', port: 8080 }).verdict).toBe('delivered');
    const vm = trace(c, { from: 'external/vm', to: 'api', proto: 'tcp', port: 8080 });
    expect(vm.verdict).toBe('dropped');
    expect(vm.reason).toContain('AZURE-NPM-INGRESS');
    expect(trace(c, { from: 'external/vm', to: 'client', proto: 'icmp' }).verdict).toBe('delivered');
  });

  it('azure-cni-overlay.yaml: /24 per node, no VM reachability', () => {
    const c = load('azure-cni-overlay.yaml');
    expect(c.nodes.map((n) => n.podCIDR?.toString())).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    expect(trace(c, { from: 'client', to: 'api', proto: 'tcp', port: 8080 }).verdict).toBe('delivered');
    expect(trace(c, { from: 'external/vm', to: 'api', proto: 'tcp', port: 8080 }).verdict).not.toBe('delivered');
  });
});
