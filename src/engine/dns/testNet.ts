/**
 * Test support: a minimal ClusterIP DNAT hook (what kube-proxy does in PREROUTING/OUTPUT of a
 * node namespace, reversed on the reply), so the DNS and HTTP clients can be tested end to end
 * before and independently of the real kube-proxy provider. Never used outside tests.
 */
import { formatIpv4, parseIpv4 } from '../addressing/ipv4';
import type { Cluster } from '../model/cluster';
import type { NetfilterHook } from '../dataplane/netfilter';
import { servicesOf } from '../services/table';
import { trace } from '../trace/tracer';
import type { TraceRequest, TraceResult } from '../trace/traceTypes';

interface Nat {
  vip: number;
  vport: number;
  ip: number;
  port: number;
}

export function testDnatHook(cluster: Cluster): NetfilterHook {
  const table = servicesOf(cluster);
  return {
    name: 'test-dnat',
    hooks: ['PREROUTING', 'OUTPUT'],
    run(ctx) {
      if (!ctx.netns.id.startsWith('node/')) return { kind: 'accept' };
      const p = ctx.packet;
      if (p.l4.proto === 'icmp') return { kind: 'accept' };
      if (ctx.leg === 'request') {
        const svc = table.byClusterIP.get(p.ip.dst);
        if (!svc) return { kind: 'accept' };
        const proto = p.l4.proto.toUpperCase();
        const sp = svc.ports.find((x) => x.port === (p.l4 as { dstPort: number }).dstPort && x.protocol === proto);
        if (!sp) return { kind: 'accept' };
        const eps = svc.endpoints.filter((e) => e.ready && e.ports.some((x) => x.name === sp.name));
        if (!eps.length) return { kind: 'drop', detail: `REJECT --reject-with icmp-port-unreachable (no endpoints for ${svc.namespace}/${svc.name})` };
        const ep = eps[0];
        const port = ep.ports.find((x) => x.name === sp.name)!.port;
        ctx.state.set('test-dnat', { vip: p.ip.dst, vport: sp.port, ip: ep.ip, port } satisfies Nat);
        return { kind: 'rewrite', packet: { ...p, ip: { ...p.ip, dst: ep.ip }, l4: { ...p.l4, dstPort: port } as typeof p.l4 }, detail: `DNAT to ${formatIpv4(ep.ip)}:${port}` };
      }
      const nat = ctx.state.get('test-dnat') as Nat | undefined;
      if (!nat || p.ip.src !== nat.ip) return { kind: 'accept' };
      ctx.state.delete('test-dnat');
      return { kind: 'rewrite', packet: { ...p, ip: { ...p.ip, src: nat.vip }, l4: { ...p.l4, srcPort: nat.vport } as typeof p.l4 }, detail: `un-DNAT to ${formatIpv4(nat.vip)}:${nat.vport}` };
    },
  };
}

/** A tracer with the test DNAT hook. */
export function traceWithTestDnat(cluster: Cluster, req: TraceRequest): TraceResult {
  return trace(cluster, req, { hooks: [testDnatHook(cluster)] });
}

export { parseIpv4 };
