/**
 * The Kubernetes DNS-Based Service Discovery specification's cases
 * (github.com/kubernetes/dns/blob/master/docs/specification.md, v1.1.0), answered by the
 * CoreDNS model with kubeadm's Corefile.
 */
import { describe, expect, it } from 'vitest';
import { serve } from './coredns';
import { dnsCluster } from './dnsFixture';
import { responseWireSize, type RrType } from './message';
import { servicesOf } from '../services/table';
import { formatIpv4 } from '../addressing/ipv4';

const cluster = dnsCluster();
const ask = (name: string, type: RrType = 'A') => serve(cluster, { id: 1, question: { name, type }, rd: true }).response;
const table = servicesOf(cluster);
const webIp = formatIpv4(table.byName.get('default/web')!.clusterIP!);

describe('kubernetes plugin records', () => {
  it('§2.3.1 A record for a ClusterIP Service, TTL 30 from kubeadm\'s `ttl 30`', () => {
    const r = ask('web.default.svc.cluster.local.');
    expect(r).toMatchObject({ rcode: 'NOERROR', aa: true, ra: false });
    expect(r.answer).toEqual([{ name: 'web.default.svc.cluster.local.', ttl: 30, type: 'A', data: webIp }]);
    expect(ask('kubernetes.default.svc.cluster.local.').answer[0].data).toBe('10.96.0.1');
  });

  it('§2.4.1 headless Service: one A per ready endpoint, and hostname.subdomain records', () => {
    expect(ask('postgres-headless.production.svc.cluster.local.').answer.map((a) => a.data)).toEqual(['10.244.2.4']);
    expect(ask('postgres-0.postgres-headless.production.svc.cluster.local.').answer).toEqual([{ name: 'postgres-0.postgres-headless.production.svc.cluster.local.', ttl: 30, type: 'A', data: '10.244.2.4' }]);
  });

  it('§2.3.2 SRV for a named port of a ClusterIP Service: one record to the Service name', () => {
    const r = ask('_http._tcp.web.default.svc.cluster.local.', 'SRV');
    expect(r.answer).toEqual([{ name: '_http._tcp.web.default.svc.cluster.local.', ttl: 30, type: 'SRV', data: { priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local.' } }]);
    expect(r.additional[0]).toMatchObject({ name: 'web.default.svc.cluster.local.', type: 'A', data: webIp });
  });

  it('§2.4.2 SRV for a headless Service: one per endpoint, to the endpoint name', () => {
    const r = ask('_pg._tcp.postgres-headless.production.svc.cluster.local.', 'SRV');
    expect(r.answer.map((a) => a.data)).toEqual([{ priority: 0, weight: 100, port: 5432, target: 'postgres-0.postgres-headless.production.svc.cluster.local.' }]);
  });

  it('§2.3.3 / §2.4.3 PTR for Service and endpoint IPs', () => {
    expect(ask('10.0.96.10.in-addr.arpa.', 'PTR').answer[0].data).toBe('kube-dns.kube-system.svc.cluster.local.');
    expect(ask('4.2.244.10.in-addr.arpa.', 'PTR').answer[0].data).toBe('postgres-0.postgres-headless.production.svc.cluster.local.');
  });

  it('pod A records (pods insecure): 10-244-1-5.default.pod.cluster.local', () => {
    expect(ask('10-244-1-5.default.pod.cluster.local.').answer[0]).toMatchObject({ type: 'A', data: '10.244.1.5' });
    expect(ask('10-244-1-5.nosuchns.pod.cluster.local.').rcode).toBe('NXDOMAIN');
  });

  it('§2.5 ExternalName: a CNAME, the target resolved upstream', () => {
    const r = ask('docs.default.svc.cluster.local.');
    expect(r.answer[0]).toEqual({ name: 'docs.default.svc.cluster.local.', ttl: 30, type: 'CNAME', data: 'example.com.' });
    expect(r.answer[1]).toMatchObject({ name: 'example.com.', type: 'A' });
  });

  it('NXDOMAIN with the zone SOA in AUTHORITY; NODATA for AAAA of an IPv4 Service and for namespaces', () => {
    const nx = ask('nope.default.svc.cluster.local.');
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.authority[0]).toMatchObject({ name: 'cluster.local.', ttl: 30, type: 'SOA', data: { mname: 'ns.dns.cluster.local.', rname: 'hostmaster.cluster.local.', refresh: 7200, retry: 1800, expire: 86400, minimum: 30 } });
    expect(ask('web.default.svc.cluster.local.', 'AAAA')).toMatchObject({ rcode: 'NOERROR', answer: [] });
    expect(ask('default.svc.cluster.local.')).toMatchObject({ rcode: 'NOERROR', answer: [] });
    expect(ask('web.default.cluster.local.').rcode).toBe('NXDOMAIN');
  });

  it('names outside the cluster are forwarded upstream (recursive, not authoritative)', () => {
    expect(ask('google.com.')).toMatchObject({ rcode: 'NOERROR', aa: false, ra: true, answer: [{ data: '142.250.185.78' }] });
    expect(ask('nonexistent.example.').rcode).toBe('NXDOMAIN');
  });

  it('wire sizes: web.default.svc.cluster.local A without EDNS is 47 bytes asked, 63 answered', () => {
    expect(responseWireSize(ask('web.default.svc.cluster.local.'))).toBe(63);
  });
});

describe('kubernetes plugin: ExternalName inside the zone, dns-version, PTR for several Services', () => {
  const extra = `
---
apiVersion: v1
kind: Service
metadata: {name: web-alias, namespace: default}
spec: {type: ExternalName, externalName: web.default.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: pg-alias, namespace: default}
spec: {type: ExternalName, externalName: postgres-headless.production.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: alias-of-alias, namespace: default}
spec: {type: ExternalName, externalName: web-alias.default.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: dangling, namespace: default}
spec: {type: ExternalName, externalName: nope.default.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: loop-a, namespace: default}
spec: {type: ExternalName, externalName: loop-b.default.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: loop-b, namespace: default}
spec: {type: ExternalName, externalName: loop-a.default.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: pg-replicas, namespace: production}
spec:
  clusterIP: None
  selector: {app: postgres}
  ports: [{name: pg, port: 5432}]
`;
  const c = dnsCluster(extra);
  const q = (name: string, type: RrType = 'A') => serve(c, { id: 1, question: { name, type }, rd: true }).response;
  const ip = (name: string) => formatIpv4(servicesOf(c).byName.get(name)!.clusterIP!);

  // plugin/backend_lookup.go A: a target inside the zone is resolved by the plugin (recursive A)
  // and the CNAME is added together with the records it found.
  it('an ExternalName to a Service in the cluster domain answers the CNAME and the target\'s A record', () => {
    const r = q('web-alias.default.svc.cluster.local.');
    expect(r).toMatchObject({ rcode: 'NOERROR', aa: true });
    expect(r.answer).toEqual([
      { name: 'web-alias.default.svc.cluster.local.', ttl: 30, type: 'CNAME', data: 'web.default.svc.cluster.local.' },
      { name: 'web.default.svc.cluster.local.', ttl: 30, type: 'A', data: ip('default/web') },
    ]);
  });

  it('follows chains and headless targets; a CNAME query gets the CNAME alone; other types NODATA', () => {
    expect(q('alias-of-alias.default.svc.cluster.local.').answer.map((a) => `${a.type} ${a.data}`)).toEqual([
      'CNAME web-alias.default.svc.cluster.local.',
      'CNAME web.default.svc.cluster.local.',
      `A ${ip('default/web')}`,
    ]);
    expect(q('pg-alias.default.svc.cluster.local.').answer.map((a) => `${a.name} ${a.type} ${a.data}`)).toEqual([
      'pg-alias.default.svc.cluster.local. CNAME postgres-headless.production.svc.cluster.local.',
      'postgres-headless.production.svc.cluster.local. A 10.244.2.4',
    ]);
    expect(q('web-alias.default.svc.cluster.local.', 'CNAME').answer).toEqual([{ name: 'web-alias.default.svc.cluster.local.', ttl: 30, type: 'CNAME', data: 'web.default.svc.cluster.local.' }]);
    expect(q('web-alias.default.svc.cluster.local.', 'TXT')).toMatchObject({ rcode: 'NOERROR', answer: [] });
    expect(q('web-alias.default.svc.cluster.local.', 'SRV')).toMatchObject({ rcode: 'NOERROR', answer: [] });
  });

  it('a CNAME whose in-zone target has no records is not given (NODATA), nor a loop', () => {
    expect(q('dangling.default.svc.cluster.local.')).toMatchObject({ rcode: 'NOERROR', answer: [], authority: [{ type: 'SOA' }] });
    expect(q('loop-a.default.svc.cluster.local.')).toMatchObject({ rcode: 'NOERROR', answer: [] });
    // AAAA: the IPv4 target has none, so no CNAME either.
    expect(q('web-alias.default.svc.cluster.local.', 'AAAA')).toMatchObject({ rcode: 'NOERROR', answer: [] });
  });

  // plugin/kubernetes/kubernetes.go: DNSSchemaVersion = "1.1.0", served as TXT with TTL 28800.
  it('dns-version.<zone> TXT is the schema version 1.1.0', () => {
    const r = q('dns-version.cluster.local.', 'TXT');
    expect(r).toMatchObject({ rcode: 'NOERROR', aa: true, answer: [{ name: 'dns-version.cluster.local.', ttl: 28800, type: 'TXT', data: '1.1.0' }] });
    expect(q('dns-version.cluster.local.', 'A').rcode).toBe('NXDOMAIN');
  });

  // plugin/kubernetes/reverse.go serviceRecordForIP: every endpoint with the address, across Services.
  it('a pod IP backing two headless Services answers a PTR for each', () => {
    const r = q('4.2.244.10.in-addr.arpa.', 'PTR');
    expect(r.answer.map((a) => a.data).sort()).toEqual(['10-244-2-4.pg-replicas.production.svc.cluster.local.', 'postgres-0.postgres-headless.production.svc.cluster.local.']);
    expect(r.answer.every((a) => a.type === 'PTR' && a.name === '4.2.244.10.in-addr.arpa.')).toBe(true);
  });

  // plugin/kubernetes/ns.go nsAddrs: the Services backed by CoreDNS's own pod address.
  it('NS at the apex names the kube-dns Service (its ClusterIP in ADDITIONAL); ns.dns.<zone> A is that ClusterIP', () => {
    const ns = q('cluster.local.', 'NS');
    expect(ns.answer).toEqual([{ name: 'cluster.local.', ttl: 30, type: 'NS', data: 'kube-dns.kube-system.svc.cluster.local.' }]);
    expect(ns.additional).toEqual([{ name: 'kube-dns.kube-system.svc.cluster.local.', ttl: 30, type: 'A', data: '10.96.0.10' }]);
    expect(q('ns.dns.cluster.local.').answer).toEqual([{ name: 'ns.dns.cluster.local.', ttl: 30, type: 'A', data: '10.96.0.10' }]);
  });
});
