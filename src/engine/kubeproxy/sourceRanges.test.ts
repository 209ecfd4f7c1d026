/**
 * loadBalancerSourceRanges in kube-proxy: KUBE-FW-X / KUBE-PROXY-FIREWALL in iptables mode
 * (pkg/proxy/iptables/proxier.go usesFWChain), the KUBE-LOAD-BALANCER-FW / -SOURCE-CIDR ipsets and
 * KUBE-SOURCE-RANGES-FIREWALL in IPVS mode (pkg/proxy/ipvs/proxier.go), and what a pod's
 * connection to the load-balancer IP meets on its node.
 */
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import { externalScenario, load } from '../external/fixture';
import type { Cluster } from '../model/cluster';
import { servicesOf } from '../services/table';
import { trace } from '../trace/tracer';
import { fwChain, extChain } from './hash';
import { iptablesSave } from './index';
import { rulesetOf } from './ruleset';

// The client pod (worker-2) is in 10.244.0.0/16; the nodes are in 192.168.1.0/24.
const extra = `---
apiVersion: v1
kind: Service
metadata: {name: web-open}
spec:
  type: LoadBalancer
  selector: {app: web}
  loadBalancerSourceRanges: ["10.244.0.0/16", " 192.168.1.0/24 "]
  ports: [{port: 80, targetPort: 80, nodePort: 30090}]
---
apiVersion: v1
kind: Service
metadata: {name: web-closed}
spec:
  type: LoadBalancer
  selector: {app: web}
  loadBalancerSourceRanges: ["203.0.113.0/25"]
  ports: [{port: 80, targetPort: 80, nodePort: 30091}]
`;

const clusters = new Map<string, Cluster>();
const clusterIn = (mode: 'iptables' | 'ipvs') => {
  if (!clusters.has(mode)) clusters.set(mode, load(externalScenario({ kubeProxy: mode, extra })));
  return clusters.get(mode)!;
};
const lbIp = (c: Cluster, name: string) => formatIpv4(servicesOf(c).byName.get(`default/${name}`)!.loadBalancerIP!);
const lines = (text: string, chain: string) => text.split('\n').filter((l) => l.startsWith(`-A ${chain} `));

describe('iptables mode', () => {
  const c = clusterIn('iptables');
  const save = iptablesSave(c, 'worker-2');
  const open = { fw: fwChain('default/web-open', 'tcp'), ext: extChain('default/web-open', 'tcp'), ip: lbIp(c, 'web-open') };
  const closed = { fw: fwChain('default/web-closed', 'tcp'), ext: extChain('default/web-closed', 'tcp'), ip: lbIp(c, 'web-closed') };

  it('sends the load-balancer IP to KUBE-FW-X instead of KUBE-EXT-X', () => {
    expect(save).toContain(`-A KUBE-SERVICES -d ${open.ip}/32 -p tcp -m comment --comment "default/web-open loadbalancer IP" -m tcp --dport 80 -j ${open.fw}`);
    expect(save).toContain(`:${open.fw} - [0:0]`);
    // No ranges: unchanged.
    expect(save).toContain(`-m comment --comment "default/web-cluster loadbalancer IP" -m tcp --dport 80 -j ${extChain('default/web-cluster', 'tcp')}`);
    expect(save).not.toContain(fwChain('default/web-cluster', 'tcp'));
  });

  it('writes one rule per range, the LB IP when a range holds the node IP, then the comment-only rule', () => {
    expect(lines(save, open.fw)).toEqual([
      `-A ${open.fw} -s 10.244.0.0/16 -m comment --comment "default/web-open loadbalancer IP" -j ${open.ext}`,
      `-A ${open.fw} -s 192.168.1.0/24 -m comment --comment "default/web-open loadbalancer IP" -j ${open.ext}`,
      `-A ${open.fw} -s ${open.ip}/32 -m comment --comment "default/web-open loadbalancer IP" -j ${open.ext}`,
      `-A ${open.fw} -m comment --comment "other traffic to default/web-open will be dropped by KUBE-PROXY-FIREWALL"`,
    ]);
    expect(lines(save, closed.fw)).toEqual([
      `-A ${closed.fw} -s 203.0.113.0/25 -m comment --comment "default/web-closed loadbalancer IP" -j ${closed.ext}`,
      `-A ${closed.fw} -m comment --comment "other traffic to default/web-closed will be dropped by KUBE-PROXY-FIREWALL"`,
    ]);
  });

  it('drops what KUBE-FW-X did not DNAT in filter KUBE-PROXY-FIREWALL (hooked from INPUT, FORWARD and OUTPUT for NEW connections)', () => {
    expect(lines(save, 'KUBE-PROXY-FIREWALL')).toEqual([
      `-A KUBE-PROXY-FIREWALL -d ${closed.ip}/32 -p tcp -m comment --comment "default/web-closed traffic not accepted by ${closed.fw}" -m tcp --dport 80 -j DROP`,
      `-A KUBE-PROXY-FIREWALL -d ${open.ip}/32 -p tcp -m comment --comment "default/web-open traffic not accepted by ${open.fw}" -m tcp --dport 80 -j DROP`,
    ]);
    for (const chain of ['INPUT', 'FORWARD', 'OUTPUT']) {
      expect(save).toContain(`-A ${chain} -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL`);
    }
  });

  it('delivers a pod inside the ranges through KUBE-FW-X → KUBE-EXT-X', () => {
    const t = trace(c, { from: 'default/client', to: open.ip, proto: 'tcp', port: 80 });
    expect(t.verdict).toBe('delivered');
    expect(t.hops[t.hops.length - 1].netns).toBe('pod/default/web');
    expect(t.hops.some((h) => h.detail.includes(`KUBE-SERVICES → ${open.fw} → ${open.ext}`))).toBe(true);
  });

  it('drops a pod outside the ranges in KUBE-PROXY-FIREWALL on its own node', () => {
    const t = trace(c, { from: 'default/client', to: closed.ip, proto: 'tcp', port: 80 });
    expect(t.verdict).toBe('dropped');
    const last = t.hops[t.hops.length - 1];
    expect(last.netns).toBe('node/worker-2');
    expect(last.detail).toContain(`filter FORWARD → KUBE-PROXY-FIREWALL: -A KUBE-PROXY-FIREWALL -d ${closed.ip}/32`);
    expect(last.detail).toContain(`traffic not accepted by ${closed.fw}`);
  });
});

describe('IPVS mode', () => {
  const c = clusterIn('ipvs');
  const save = iptablesSave(c, 'worker-2', 'filter');
  const open = lbIp(c, 'web-open');
  const closed = lbIp(c, 'web-closed');

  it('fills KUBE-LOAD-BALANCER-FW, -SOURCE-CIDR and (a range holds the node IP) -SOURCE-IP', () => {
    const sets = rulesetOf(c, 'worker-2')!.ipvs!.ipsets;
    expect(sets.get('KUBE-LOAD-BALANCER-FW')).toMatchObject({ type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' });
    expect(sets.get('KUBE-LOAD-BALANCER-FW')!.members.sort()).toEqual([`${closed},tcp:80`, `${open},tcp:80`].sort());
    expect(sets.get('KUBE-LOAD-BALANCER-SOURCE-CIDR')).toMatchObject({ type: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' });
    expect(sets.get('KUBE-LOAD-BALANCER-SOURCE-CIDR')!.members.sort()).toEqual([`${closed},tcp:80,203.0.113.0/25`, `${open},tcp:80,10.244.0.0/16`, `${open},tcp:80,192.168.1.0/24`].sort());
    expect(sets.get('KUBE-LOAD-BALANCER-SOURCE-IP')!.members).toEqual([`${open},tcp:80,${open}`]);
  });

  it('writes the filter rules of ipsetWithIptablesChain and the final DROP', () => {
    expect(lines(save, 'KUBE-PROXY-FIREWALL')).toEqual([
      '-A KUBE-PROXY-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port for load balancer with sourceRange" -m set --match-set KUBE-LOAD-BALANCER-FW dst,dst -j KUBE-SOURCE-RANGES-FIREWALL',
    ]);
    expect(lines(save, 'KUBE-SOURCE-RANGES-FIREWALL')).toEqual([
      '-A KUBE-SOURCE-RANGES-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port + source cidr for packet filter purpose" -m set --match-set KUBE-LOAD-BALANCER-SOURCE-CIDR dst,dst,src -j RETURN',
      '-A KUBE-SOURCE-RANGES-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port + source IP for packet filter purpose" -m set --match-set KUBE-LOAD-BALANCER-SOURCE-IP dst,dst,src -j RETURN',
      '-A KUBE-SOURCE-RANGES-FIREWALL -j DROP',
    ]);
  });

  it('lets a pod inside the ranges reach the virtual server', () => {
    const t = trace(c, { from: 'default/client', to: open, proto: 'tcp', port: 80 });
    expect(t.verdict).toBe('delivered');
    expect(t.hops.some((h) => h.detail.includes(`IPVS LOCAL_IN (ip_vs_in): virtual server TCP  ${open}:80`))).toBe(true);
  });

  it('drops a pod outside the ranges in filter INPUT, before IPVS takes the packet', () => {
    const t = trace(c, { from: 'default/client', to: closed, proto: 'tcp', port: 80 });
    expect(t.verdict).toBe('dropped');
    const last = t.hops[t.hops.length - 1];
    expect(last.detail).toContain('filter INPUT → KUBE-IPVS-FILTER → KUBE-PROXY-FIREWALL → KUBE-SOURCE-RANGES-FIREWALL: -A KUBE-SOURCE-RANGES-FIREWALL -j DROP');
    expect(t.hops.some((h) => h.detail.includes('IPVS LOCAL_IN'))).toBe(false);
  });
});
