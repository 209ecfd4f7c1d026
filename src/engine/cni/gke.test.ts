/**
 * GKE VPC-native modes against the layout a GKE node really has (node dumps quoted in gke.ts):
 * eth0 as a /32 with DHCP's routes, ptp veths holding the range's `.1/32`, one host route per
 * pod, no bridge, no tunnel, no route to other nodes' ranges (the VPC has them), the three
 * ranges with GKE's defaults and GCE's words for conflicts, Dataplane V2 without kube-proxy.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import { engineShell } from '../engineShell';
import { setCni } from '../controllers/cniSwitch';
import { loadCluster } from '../load';
import type { Cluster } from '../model/cluster';
import { netnsId } from '../model/ids';
import { formatScenarioError } from '../model/source';
import { trace } from '../trace/tracer';
import { networkOf } from './network';
import { routeLine } from './testCluster';

const N1 = 'gke-demo-default-pool-3f6b2c1d-1xk9';
const N2 = 'gke-demo-default-pool-3f6b2c1d-7m2p';

function scenario(spec: string, pods = true): string {
  return `apiVersion: podpath/v1alpha1
kind: Cluster
metadata:
  name: demo
spec:
${spec}
  nodes:
    - name: ${N1}
    - name: ${N2}
${pods ? `---
apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: a}}
spec:
  nodeName: ${N1}
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: b}}
spec:
  nodeName: ${N2}
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
` : ''}`;
}

function load(text: string): Cluster {
  const r = loadCluster([{ name: 'gke.yaml', text }]);
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return r.value;
}

const errorsOf = (text: string): string[] => {
  const r = loadCluster([{ name: 'gke.yaml', text }]);
  return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.message}`);
};

describe('gke: the three ranges', () => {
  it('defaults to the us-central1 default subnet, a /14 pod range, a /20 Services range, MTU 1460, a /24 per node', () => {
    const c = load(scenario('  cni: gke'));
    expect(c.config.nodeNetwork.toString()).toBe('10.128.0.0/20');
    expect(c.config.podCIDR.toString()).toBe('10.4.0.0/14');
    expect(c.config.serviceCIDR.toString()).toBe('10.8.0.0/20');
    expect(c.config.nodeMtu).toBe(1460);
    expect(c.nodes.map((n) => n.podCIDR?.toString())).toEqual(['10.4.0.0/24', '10.4.1.0/24']);
  });

  it('sizes the alias range from maxPodsPerNode (64 → /25, 8 → /28)', () => {
    expect(load(scenario('  cni: gke\n  maxPodsPerNode: 64')).nodes.map((n) => n.podCIDR?.toString())).toEqual(['10.4.0.0/25', '10.4.0.128/25']);
    const eight = load(scenario('  cni: gke\n  maxPodsPerNode: 8'));
    expect(eight.nodes[1].podCIDR?.toString()).toBe('10.4.0.16/28');
    expect(eight.nodes.map((n) => n.capacityPods)).toEqual([8, 8]);
    expect(errorsOf(scenario('  cni: gke\n  maxPodsPerNode: 300'))).toEqual(['spec.maxPodsPerNode: Invalid value: 300: must be between 8 and 256, inclusive']);
  });

  it('refuses overlapping ranges and peered ranges with Compute Engine’s words', () => {
    expect(errorsOf(scenario('  cni: gke\n  nodeNetwork: 10.4.0.0/20', false))).toEqual([
      "spec.podCIDR: Invalid value for field 'resource.secondaryIpRanges[0].ipCidrRange': '10.4.0.0/14'. Invalid IPCidrRange: 10.4.0.0/14 conflicts with existing subnetwork 'default' in region 'us-central1'.",
    ]);
    expect(errorsOf(scenario('  cni: gke\n  serviceCIDR: 10.5.0.0/20', false))).toEqual([
      "spec.serviceCIDR: Invalid value for field 'resource.secondaryIpRanges[1].ipCidrRange': '10.5.0.0/20'. Invalid IPCidrRange: 10.5.0.0/20 conflicts with existing subnetwork 'default' in region 'us-central1'.",
    ]);
    expect(errorsOf(scenario('  cni: gke\n  peerings:\n    - name: infra-peering\n      cidr: 10.8.0.0/16', false))).toEqual([
      "spec.serviceCIDR: Invalid value for field 'resource.secondaryIpRanges[1].ipCidrRange': '10.8.0.0/20'. Invalid IPCidrRange: 10.8.0.0/20 conflicts with peer network of peer network in active peering 'infra-peering'.",
    ]);
  });
});

describe('gke with networkPolicy: calico: what Calico\'s CNI builds on a node', () => {
  it('a cali veth with the sysctls configureSysctls writes (proxy_arp, proxy_delay 0, forwarding, route_localnet) and a /32 link route', () => {
    const c = load(scenario('  cni: gke\n  networkPolicy: calico'));
    const node = networkOf(c).get(netnsId.node(N1))!;
    const a = c.pods.get('default/a')!.attachment!;
    expect(a.hostIfname).toMatch(/^cali[0-9a-f]{11}$/);
    expect(node.routes).toContainEqual({ type: 'unicast', dst: expect.objectContaining({ network: a.ip, prefix: 32 }), dev: a.hostIfname, scope: 'link' });
    expect([`conf.${a.hostIfname}.proxy_arp`, `neigh.${a.hostIfname}.proxy_delay`, `conf.${a.hostIfname}.forwarding`, `conf.${a.hostIfname}.route_localnet`].map((k) => node.sysctl[`net.ipv4.${k}`])).toEqual(['1', '0', '1', '1']);
  });
});

describe('gke: what ptp builds on a node', () => {
  const c = load(scenario('  cni: gke'));
  const net = networkOf(c);
  const node = net.get(netnsId.node(N1))!;
  const a = c.pods.get('default/a')!.attachment!;

  it('eth0 /32 at MTU 1460, one veth per pod holding the gateway .1/32, no bridge, no tunnel', () => {
    expect(node.links[1]).toMatchObject({ name: 'eth0', mtu: 1460, addrs: [{ prefix: 32 }] });
    const kinds = node.links.map((l) => l.kind);
    expect(kinds).not.toContain('bridge');
    expect(kinds.filter((k) => k === 'vxlan' || k === 'ipip')).toEqual([]);
    const veth = node.links.find((l) => l.name === a.hostIfname)!;
    expect(a.hostIfname).toMatch(/^veth[0-9a-f]{8}$/);
    expect(veth.addrs).toEqual([{ ip: c.nodes[0].podCIDR!.nth(1), prefix: 32, scope: 'global' }]);
    expect(veth.mtu).toBe(1460);
  });

  it('routes: DHCP default, gateway and metadata routes, a scope host route per pod, none to the other node', () => {
    const sh = engineShell(c);
    sh.run(`ssh ${N1}`);
    const lines = sh.run('ip route').stdout.trimEnd().split('\n').map((l) => l.trimEnd());
    const local = [...c.pods.values()].filter((p) => p.nodeName === N1 && p.attachment).sort((x, y) => x.attachment!.ip - y.attachment!.ip);
    const podLines = local.map((p) => `${formatIpv4(p.attachment!.ip)} dev ${p.attachment!.hostIfname} scope host`);
    expect(podLines).toContain(`10.4.0.3 dev ${a.hostIfname} scope host`);
    expect(lines).toEqual([
      'default via 10.128.0.1 dev eth0 proto dhcp src 10.128.0.10 metric 1024',
      ...podLines,
      '10.128.0.1 dev eth0 proto dhcp scope link src 10.128.0.10 metric 1024',
      '169.254.169.254 via 10.128.0.1 dev eth0 proto dhcp src 10.128.0.10 metric 1024',
    ]);
  });

  it('pod: eth0 <ip>/24, default and the range via .1, .1 on link (ptp)', () => {
    const pod = net.get(netnsId.pod('default', 'a'))!;
    expect(pod.links[1].addrs[0]).toMatchObject({ prefix: 24 });
    expect(pod.routes.map(routeLine)).toEqual(['default via 10.4.0.1 dev eth0', '10.4.0.0/24 via 10.4.0.1 dev eth0 src 10.4.0.3', '10.4.0.1 dev eth0 scope link src 10.4.0.3']);
  });

  it('kubectl describe node: PodCIDR is the alias range; netd writes 10-gke-ptp.conflist', () => {
    const sh = engineShell(c);
    expect(sh.run(`kubectl describe node ${N2}`).stdout).toMatch(/PodCIDR:\s+10\.4\.1\.0\/24/);
    sh.run(`ssh ${N1}`);
    const conf = sh.run('cat /etc/cni/net.d/10-gke-ptp.conflist').stdout;
    expect(JSON.parse(conf)).toMatchObject({ name: 'gke-pod-network', plugins: [{ type: 'ptp', mtu: 1460, ipam: { type: 'host-local', ranges: [[{ subnet: '10.4.0.0/24' }]] } }, { type: 'portmap' }, { type: 'bandwidth' }] });
  });
});

describe('gke: the VPC fabric carries pods between nodes', () => {
  for (const mode of ['gke', 'gke-dataplane-v2']) {
    it(`${mode}: a cross-node trace crosses the fabric on the alias range, with no encapsulation`, () => {
      const c = load(scenario(`  cni: ${mode}`));
      const r = trace(c, { from: 'a', to: 'b', proto: 'tcp', port: 80 });
      expect(r.verdict, r.reason).toBe('delivered');
      expect(r.reply?.verdict).toBe('delivered');
      const wire = r.hops.filter((h) => h.action === 'wire');
      expect(wire.map((h) => h.detail)).toEqual([`VPC fabric: alias range 10.4.1.0/24 → node ${N2}`]);
      expect(wire[0].fabric).toEqual({ network: 'VPC', route: '10.4.1.0/24', kind: 'alias-range', node: N2, dev: 'eth0' });
      expect(r.hops.some((h) => h.action === 'encap' || h.packet.encap)).toBe(false);
    });

    it(`${mode}: a VM in the same VPC reaches a pod IP directly`, () => {
      const c = load(scenario(`  cni: ${mode}`));
      const r = trace(c, { from: 'external/vm', to: 'b', proto: 'tcp', port: 80 });
      expect(r.verdict, r.reason).toBe('delivered');
      expect(r.hops.find((h) => h.action === 'wire')?.fabric?.kind).toBe('alias-range');
      expect(r.reply?.verdict).toBe('delivered');
    });
  }
});

describe('gke-dataplane-v2', () => {
  const c = load(scenario('  cni: gke-dataplane-v2'));

  it('runs anetd and no kube-proxy; devices are cilium_net/cilium_host (169.254.4.6/32) and gke… veths', () => {
    expect(c.config.kubeProxy).toBe('none');
    const names = [...c.pods.keys()];
    expect(names.some((k) => k.startsWith('kube-system/kube-proxy'))).toBe(false);
    expect(names.filter((k) => k.startsWith('kube-system/anetd-'))).toHaveLength(2);
    const node = networkOf(c).get(netnsId.node(N1))!;
    expect(node.links.slice(0, 4).map((l) => l.name)).toEqual(['lo', 'eth0', 'cilium_net', 'cilium_host']);
    expect(node.links[3].addrs).toEqual([{ ip: (169 << 24) + (254 << 16) + (4 << 8) + 6, prefix: 32, scope: 'global' }]);
    const a = c.pods.get('default/a')!.attachment!;
    expect(a.hostIfname).toMatch(/^gke[0-9a-f]{11}$/);
    expect(node.routes.map(routeLine)).toContain(`10.4.0.3 dev ${a.hostIfname} scope link`);
    expect(errorsOf(scenario('  cni: gke-dataplane-v2\n  kubeProxy: iptables', false))[0]).toMatch(/^spec\.kubeProxy: Invalid value: "iptables": GKE Dataplane V2 has no kube-proxy/);
  });
});

describe('the seed chapter’s GKE section, in the terminal (src/scenarios/gke.yaml)', () => {
  const text = readFileSync(new URL('../../scenarios/gke.yaml', import.meta.url), 'utf8');
  const lab = (doc: string) => {
    const sh = engineShell(load(doc));
    const run = (line: string) => sh.run(line);
    run('kubectl create namespace lab-networking');
    run('kubectl run frontend --namespace lab-networking --image=nginx:alpine --labels="app=frontend,tier=web"');
    run('kubectl run backend --namespace lab-networking --image=radial/busyboxplus:curl --labels="app=backend,tier=api" -- sleep 3600');
    const ip = run("kubectl get pod frontend -n lab-networking -o jsonpath='{.status.podIP}'").stdout.trim();
    run('kubectl apply -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-all\n  namespace: lab-networking\nspec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress\nEOF');
    const curl = run(`kubectl exec backend -n lab-networking -- curl -s --connect-timeout 5 http://${ip}`);
    return { run, curl };
  };

  it('Dataplane V2: the three ranges, no kube-proxy, default-deny enforced and the drop in hubble observe', () => {
    const { run, curl } = lab(text);
    expect(run('kubectl get pods -n kube-system').stdout).not.toMatch(/kube-proxy/);
    expect(run('kubectl get pods -n kube-system').stdout).toMatch(/^anetd-/m);
    expect(curl.status).toBe(28);
    const node = run("kubectl get pod backend -n lab-networking -o jsonpath='{.spec.nodeName}'").stdout.trim();
    run(`ssh ${node}`);
    const flows = run('hubble observe').stdout;
    expect(flows).toMatch(/lab-networking\/backend:\d+ \(ID:\d+\) <> .* Policy denied DROPPED \(TCP Flags: SYN\)/);
  });

  it('legacy gke: the policy is accepted and not enforced; with networkPolicy: calico, Felix drops', () => {
    const legacy = text.replace('cni: gke-dataplane-v2', 'cni: gke').replace('kubeProxy: none', 'kubeProxy: iptables');
    const off = lab(legacy);
    expect(off.run('kubectl get pods -n kube-system').stdout).toMatch(/^kube-proxy-/m);
    expect(off.curl.status).toBe(0);
    const on = lab(legacy.replace('maxPodsPerNode: 110', 'maxPodsPerNode: 110\n  networkPolicy: calico'));
    expect(on.curl.status).toBe(28);
  });
});

describe('switching the demo to a GKE mode (the app’s CNI switch)', () => {
  const demo = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8');
  for (const mode of ['gke', 'gke-dataplane-v2'] as const) {
    it(`${mode}: pods readdressed from the alias ranges, cross-node traffic over the VPC fabric${mode === 'gke-dataplane-v2' ? ', kube-proxy removed' : ''}`, () => {
      const r = setCni(load(demo), mode);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const c = r.value;
      expect(c.config.cni).toBe(mode);
      for (const p of c.pods.values()) if (p.attachment) expect(c.nodes.find((n) => n.meta.name === p.nodeName)!.podCIDR!.contains(p.attachment.ip)).toBe(true);
      const kubeProxyPods = [...c.pods.keys()].filter((k) => k.startsWith('kube-system/kube-proxy-'));
      expect(kubeProxyPods.length > 0).toBe(mode === 'gke');
      const web = [...c.pods.values()].find((p) => p.meta.name.startsWith('web-') && p.nodeName !== c.pods.get('default/client')!.nodeName)!;
      const t = trace(c, { from: 'client', to: `default/${web.meta.name}`, proto: 'tcp', port: 80 });
      expect(t.verdict, t.reason).toBe('delivered');
      expect(t.hops.find((h) => h.action === 'wire')?.fabric?.kind).toBe('alias-range');
    });
  }
});
