/**
 * Traffic from outside: client → cloud LB → a node's NodePort → KUBE-NODEPORTS/KUBE-EXT → pod,
 * for externalTrafficPolicy Cluster (SNAT to the node, shown) and Local (client IP kept; a node
 * without a local endpoint drops), and pods reaching the Internet masqueraded to their node IP.
 */
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import { networkOf } from '../cni/network';
import { trace } from '../trace/tracer';
import type { TraceRequest, TraceResult } from '../trace/traceTypes';
import { servicesOf } from '../services/table';
import { chooseTarget, cloudLoadBalancers, defaultLoadBalancerName } from './cloudLb';
import { externalScenario, load } from './fixture';
import { CLIENT_IP } from './addresses';

const cluster = load(externalScenario());
const run = (req: TraceRequest): TraceResult => trace(cluster, req);
const lbIp = (name: string) => formatIpv4(servicesOf(cluster).byName.get(`default/${name}`)!.loadBalancerIP!);
const last = (t: TraceResult | { hops: TraceResult["hops"] }) => t.hops[t.hops.length - 1];
const podIp = (name: string) => formatIpv4(cluster.pods.get(`default/${name}`)!.attachment!.ip);

describe('the world outside the cluster', () => {
  it('builds the client, the gateway and one load balancer per LoadBalancer Service', () => {
    const net = networkOf(cluster);
    expect(net.ownerOf(CLIENT_IP)?.netns).toBe('ext/client');
    expect(net.ownerOf(cluster.config.nodeNetwork.nth(1))?.netns).toBe('ext/gateway');
    expect(net.get('ext/gateway' as never)?.links.map((l) => l.name)).toEqual(['lo', 'eth0', 'eth1', 'eth2']);
    expect(cloudLoadBalancers(cluster).map((lb) => lb.netns)).toEqual(['ext/lb/default/web-cluster', 'ext/lb/default/web-local']);
    expect(net.segments.map((s) => s.name)).toEqual(['nodes', 'internet', 'cloud-lb']);
  });

  it('names load balancers as cloudprovider.DefaultLoadBalancerName does', () => {
    expect(defaultLoadBalancerName('1b4a2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d')).toBe('a1b4a2c3d5e6f4a7b8c9d0e1f2a3b4c5');
  });

  it('Cluster policy: the LB picks any node, the node SNATs to itself, the reply comes back from the LB IP', () => {
    const ip = lbIp('web-cluster');
    const t = run({ from: 'external', to: ip, proto: 'tcp', port: 80 });
    expect(t.verdict).toBe('delivered');
    expect(last(t).netns).toBe('pod/default/web');
    const lb = t.hops.find((h) => h.netns === 'ext/lb/default/web-cluster' && h.action === 'netfilter')!;
    expect(lb.detail).toMatch(/listener TCP:80 → target worker-\d NodePort 192\.168\.1\.\d+:30080/);
    const ext = t.hops.find((h) => h.action === 'netfilter' && h.detail.includes('KUBE-NODEPORTS'))!;
    expect(ext.detail).toMatch(/KUBE-EXT-\w+ → KUBE-MARK-MASQ/);
    const snat = t.hops.find((h) => h.action === 'netfilter' && h.detail.includes('MASQUERADE'))!;
    expect(snat.node).toBe(ext.node);
    // The pod sees the node (or its tunnel/bridge address), never the client.
    expect(last(t).packet.src).not.toBe(formatIpv4(CLIENT_IP));
    expect(t.reply?.verdict).toBe('delivered');
    expect(last(t.reply!).netns).toBe('ext/client');
    expect(last(t.reply!).packet.src).toBe(ip);
  });

  it('Local policy: only the node with a ready endpoint passes the health check, and the pod sees the client IP', () => {
    const lb = cloudLoadBalancers(cluster).find((l) => l.service.name === 'web-local')!;
    expect(lb.targets.map((x) => [x.node.meta.name, x.healthy])).toEqual([
      ['worker-1', true],
      ['worker-2', false],
    ]);
    for (let i = 0; i < 20; i++) expect(chooseTarget(cluster, lb, `flow-${i}`)!.target.node.meta.name).toBe('worker-1');
    const t = run({ from: 'external', to: lbIp('web-local'), proto: 'tcp', port: 80 });
    expect(t.verdict).toBe('delivered');
    expect(last(t).packet.src).toBe(formatIpv4(CLIENT_IP));
    expect(t.hops.some((h) => h.detail.includes('KUBE-SVL-'))).toBe(true);
    expect(t.hops.some((h) => h.detail.includes('MASQUERADE'))).toBe(false);
    expect(last(t.reply!).packet.src).toBe(lbIp('web-local'));
  });

  it('Local policy: a node without a local endpoint drops NodePort traffic', () => {
    const t = run({ from: 'external', to: '192.168.1.12', proto: 'tcp', port: 30081 });
    expect(t.verdict).toBe('dropped');
    expect(t.hops.some((h) => /has no local endpoints/.test(h.detail))).toBe(true);
  });

  it('a NodePort on a node with the endpoint works straight from outside', () => {
    const t = run({ from: 'external', to: '192.168.1.11', proto: 'tcp', port: 30081 });
    expect(t.verdict).toBe('delivered');
    expect(last(t.reply!).packet.src).toBe('192.168.1.11');
  });

  it('a load balancer drops ports it has no listener for', () => {
    const t = run({ from: 'external', to: lbIp('web-cluster'), proto: 'tcp', port: 8080 });
    expect(t.verdict).toBe('dropped');
    expect(t.reason).toMatch(/no listener for TCP port 8080/);
  });

  it('pods reach the Internet through the gateway, masqueraded to their node IP', () => {
    const t = run({ from: 'default/client', to: '8.8.8.8', proto: 'udp', port: 53 });
    expect(t.verdict).toBe('delivered');
    expect(last(t).netns).toBe('ext/internet');
    expect(last(t).packet.src).toBe('192.168.1.12');
    expect(t.hops.some((h) => h.netns === 'ext/gateway')).toBe(true);
    expect(t.hops.find((h) => h.detail.includes('MASQUERADE'))?.detail).toMatch(/flanneld masq/);
    expect(last(t.reply!).netns).toBe('pod/default/client');
    expect(last(t.reply!).packet.dst).toBe(podIp('client'));
  });

  it('unknown public addresses are unreachable, not silently delivered', () => {
    const t = run({ from: 'default/client', to: '203.0.114.9', proto: 'icmp' });
    expect(t.verdict).toBe('unreachable');
  });

  it('the default hooks include the cloud load balancer', () => {
    const t = trace(cluster, { from: 'external', to: lbIp('web-cluster'), proto: 'tcp', port: 80 });
    expect(t.hops.some((h) => h.action === 'netfilter' && h.detail.startsWith('PREROUTING cloud-lb:'))).toBe(true);
    expect(trace(cluster, { from: 'external/nowhere', to: '8.8.8.8', proto: 'icmp' }).reason).toMatch(/not found/);
  });

  it('is deterministic', () => {
    const a = run({ from: 'external', to: lbIp('web-cluster'), proto: 'tcp', port: 80 });
    const b = trace(load(externalScenario()), { from: 'external', to: lbIp('web-cluster'), proto: 'tcp', port: 80 });
    expect(JSON.stringify(a.hops.map((h) => h.detail))).toBe(JSON.stringify(b.hops.map((h) => h.detail)));
  });
});
