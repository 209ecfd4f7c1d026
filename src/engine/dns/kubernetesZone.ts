/**
 * CoreDNS's kubernetes plugin: the records of the Kubernetes DNS-Based Service Discovery
 * specification (github.com/kubernetes/dns/blob/master/docs/specification.md, version 1.1.0):
 * - §2.3.1 / §2.4.1  A for a ClusterIP Service: `<svc>.<ns>.svc.<zone>` → the ClusterIP;
 *   headless: one A per ready endpoint, and `<hostname>.<svc>.<ns>.svc.<zone>` per endpoint
 *   (hostname from the EndpointSlice, else CoreDNS's dashed IP `10-244-1-5`);
 * - §2.3.2 / §2.4.2  SRV `_<port>._<proto>.<svc>.<ns>.svc.<zone>` for named ports: one record to
 *   the Service name (ClusterIP), one per endpoint (headless), priority 0, weight 100 split evenly;
 * - §2.3.3 / §2.4.3  PTR `<d>.<c>.<b>.<a>.in-addr.arpa` for ClusterIPs and endpoint IPs: a
 *   ClusterIP names its Service; an endpoint IP names every endpoint with that address, one
 *   PTR per Service it backs (plugin/kubernetes/reverse.go serviceRecordForIP);
 * - §2.5  ExternalName: to A/AAAA a CNAME to the external name and the target's records — a target
 *   inside the zone is resolved by the plugin itself (the CNAME is given only with records after
 *   it, 8 links at most), one outside is looked up through the server (forward); CNAME queries
 *   get the CNAME alone, other types NODATA (plugin/backend_lookup.go A/AAAA/CNAME);
 * - the zone's NS: CoreDNS's own Service (`kube-dns.kube-system.svc.<zone>`, its ClusterIP in
 *   ADDITIONAL), and `ns.dns.<zone>` A → that ClusterIP (plugin/kubernetes/ns.go nsAddrs);
 * - §2.1 `dns-version.<zone>` TXT: the schema version, "1.1.0", TTL 28800 (plugin/kubernetes
 *   kubernetes.go DNSSchemaVersion, Services);
 * - pod A records `<a-b-c-d>.<ns>.pod.<zone>` (`pods insecure`: the address is not checked);
 * - names that lead to records (`svc.<zone>`, `<ns>.svc.<zone>`) answer NOERROR without data;
 *   everything else NXDOMAIN, with the zone's SOA in AUTHORITY (ns.dns.<zone>, hostmaster.<zone>,
 *   refresh 7200, retry 1800, expire 86400, minimum = ttl: plugin/kubernetes/kubernetes.go Serial/SOA).
 */
import { formatIpv4, parseIpv4 } from '../addressing/ipv4';
import { listenerOf } from '../apps/catalog';
import type { Cluster } from '../model/cluster';
import type { EndpointInfo, ServiceInfo, ServiceTable } from '../services/types';
import { createdAt, EPOCH_MS } from '../sim/clock';
import type { CorefileConfig } from './corefile';
import { absolute, addressOfReverse, type Question, type Rcode, type Rr } from './message';

export interface ZoneAnswer {
  rcode: Rcode;
  answer: Rr[];
  authority: Rr[];
  additional: Rr[];
  /** An ExternalName CNAME whose target the server resolves upstream. */
  chase?: string;
}

/** `fallthrough`: the plugin has no answer and the next plugin (forward) gets the query. */
export type ZoneResult = ZoneAnswer | 'fallthrough';

export interface ZoneEnv {
  cluster: Cluster;
  table: ServiceTable;
  config: CorefileConfig;
}

/** The zone (of the plugin's zones) a name falls in, longest first. */
export function zoneOf(name: string, zones: string[]): string | undefined {
  const n = absolute(name).toLowerCase();
  return [...zones].sort((a, b) => b.length - a.length).find((z) => n === z || n.endsWith('.' + z));
}

/** The SOA serial: when the plugin last saw the API change, as Unix seconds (the newest object). */
function serial(cluster: Cluster): number {
  let newest = 0;
  for (const p of cluster.pods.values()) newest = Math.max(newest, createdAt(p.meta));
  for (const o of cluster.objects.values()) newest = Math.max(newest, createdAt(o.meta));
  return Math.floor(EPOCH_MS / 1000) + newest;
}

export function soaRecord(env: ZoneEnv, zone: string): Rr {
  const ttl = env.config.ttl;
  const apex = env.config.zones[0] ?? zone;
  return {
    name: zone,
    ttl,
    type: 'SOA',
    data: { mname: `ns.dns.${apex}`, rname: `hostmaster.${apex}`, serial: serial(env.cluster), refresh: 7200, retry: 1800, expire: 86400, minimum: ttl },
  };
}

const dashed = (ip: string) => ip.replace(/\./g, '-');

const readyEndpoints = (s: ServiceInfo): EndpointInfo[] => s.endpoints.filter((e) => e.ready || s.publishNotReadyAddresses);

const endpointHost = (e: EndpointInfo) => e.hostname ?? dashed(formatIpv4(e.ip));

function namespaceExists(cluster: Cluster, ns: string): boolean {
  if (cluster.namespaces.has(ns) || ['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(ns)) return true;
  for (const p of cluster.pods.values()) if ((p.meta.namespace ?? 'default') === ns) return true;
  return false;
}

/** plugin/kubernetes/ns.go defaultNSName. */
const NS_NAME = 'ns.dns.';

/**
 * plugin/kubernetes/ns.go nsAddrs: the Services whose endpoints hold the serving CoreDNS pod's
 * own address (kube-dns): a ClusterIP Service by its name and ClusterIP, a headless one by each
 * endpoint's name and address; with none, `ns.dns.<zone>` and the pod's address. Every replica
 * gives the same answer (they back the same Services), so the first CoreDNS pod stands for them.
 */
function nsAddrs(env: ZoneEnv, zone: string): { name: string; ip: string }[] {
  const self = [...env.cluster.pods.values()].find((p) => p.attachment && !p.hostNetwork && listenerOf(p, 53, 'udp')?.app.kind === 'coredns');
  if (!self?.attachment) return [];
  const ip = self.attachment.ip;
  const out: { name: string; ip: string }[] = [];
  for (const s of env.table.services) {
    if (!readyEndpoints(s).some((e) => e.ip === ip)) continue;
    const svcName = `${s.name}.${s.namespace}.svc.${zone}`;
    if (s.clusterIP === null) for (const e of readyEndpoints(s)) out.push({ name: `${endpointHost(e)}.${svcName}`, ip: formatIpv4(e.ip) });
    else out.push({ name: svcName, ip: formatIpv4(s.clusterIP) });
  }
  return out.length ? out : [{ name: `${NS_NAME}${zone}`, ip: formatIpv4(ip) }];
}

/** The DNS schema version the plugin implements (kubernetes.go DNSSchemaVersion) and its record's TTL. */
export const DNS_SCHEMA_VERSION = '1.1.0';
const DNS_VERSION_TTL = 28800;

/** backend_lookup.go: a CNAME chain stops growing after 8 records (`len(previousRecords) > 7`). */
const MAX_CNAME_CHAIN = 8;

/**
 * Answer a question in one of the plugin's zones. `chain`: the CNAMEs already followed to get
 * here (an ExternalName whose target is in the zone is resolved by the plugin itself).
 */
export function kubernetesAnswer(env: ZoneEnv, q: Question, chain: Rr[] = []): ZoneResult {
  const zone = zoneOf(q.name, env.config.zones);
  if (!zone) return 'fallthrough';
  const name = absolute(q.name).toLowerCase();
  const ttl = env.config.ttl;
  const nodata = (): ZoneAnswer => ({ rcode: 'NOERROR', answer: [], authority: [soaRecord(env, zone)], additional: [] });
  const nxdomain = (): ZoneResult =>
    env.config.fallthrough.includes(zone) ? 'fallthrough' : { rcode: 'NXDOMAIN', answer: [], authority: [soaRecord(env, zone)], additional: [] };

  if (zone.endsWith('in-addr.arpa.') || zone.endsWith('ip6.arpa.')) {
    const ip = addressOfReverse(name);
    if (ip === null || q.type !== 'PTR') return nxdomain();
    const targets = reverseTargets(env, ip);
    return targets.length ? { rcode: 'NOERROR', answer: targets.map((data) => ({ name, ttl, type: 'PTR', data })), authority: [], additional: [] } : nxdomain();
  }
  // The one TXT record the plugin has (kubernetes.go Services: "Hard code the only valid TXT").
  if (q.type === 'TXT' && name === `dns-version.${zone}`) {
    return { rcode: 'NOERROR', answer: [{ name, ttl: DNS_VERSION_TTL, type: 'TXT', data: DNS_SCHEMA_VERSION }], authority: [], additional: [] };
  }

  if (name === zone) {
    if (q.type === 'SOA') return { rcode: 'NOERROR', answer: [soaRecord(env, zone)], authority: [], additional: [] };
    if (q.type === 'NS') {
      // backend_lookup.go NS: one NS per name nsAddrs found, its address in ADDITIONAL.
      const addrs = nsAddrs(env, zone);
      const names = [...new Set(addrs.map((a) => a.name))];
      return { rcode: 'NOERROR', answer: names.map((data) => ({ name, ttl, type: 'NS', data })), authority: [], additional: addrs.map((a) => ({ name: a.name, ttl, type: 'A', data: a.ip })) };
    }
    return nodata();
  }
  // `ns.dns.<zone>`: the addresses of CoreDNS's own Service (kubernetes.go Services, isDefaultNS).
  if (name === `${NS_NAME}${zone}`) {
    if (q.type !== 'A' && q.type !== 'ANY') return nodata();
    const ips = [...new Set(nsAddrs(env, zone).map((a) => a.ip))];
    return { rcode: 'NOERROR', answer: ips.map((data) => ({ name, ttl, type: 'A', data })), authority: [], additional: [] };
  }
  const labels = name.slice(0, -zone.length - 1).split('.');
  const kind = labels[labels.length - 1];
  if (kind === 'pod') return podAnswer(env, q, labels, zone, nodata, nxdomain);
  if (kind !== 'svc') return nxdomain();
  if (labels.length === 1) return nodata();
  const ns = labels[labels.length - 2];
  if (labels.length === 2) return namespaceExists(env.cluster, ns) ? nodata() : nxdomain();
  const svc = env.table.byName.get(`${ns}/${labels[labels.length - 3]}`);
  if (!svc) return nxdomain();
  const svcName = `${svc.name}.${svc.namespace}.svc.${zone}`;
  const rest = labels.slice(0, -3);

  if (rest.length === 0) return serviceAnswer(env, q, svc, svcName, nodata, nxdomain, chain);
  if (rest.length === 1) {
    // `<hostname>.<svc>.<ns>.svc.<zone>`: an endpoint of a headless Service.
    if (svc.clusterIP !== null || svc.type === 'ExternalName') return nxdomain();
    const eps = readyEndpoints(svc).filter((e) => endpointHost(e) === rest[0]);
    if (!eps.length) return rest[0].startsWith('_') ? nodata() : nxdomain();
    if (q.type !== 'A' && q.type !== 'ANY') return nodata();
    return { rcode: 'NOERROR', answer: eps.map((e) => ({ name, ttl, type: 'A', data: formatIpv4(e.ip) })), authority: [], additional: [] };
  }
  if (rest.length === 2 && rest[0].startsWith('_') && rest[1].startsWith('_')) {
    const portName = rest[0].slice(1);
    const proto = rest[1].slice(1).toUpperCase();
    const ports = svc.ports.filter((p) => p.name.toLowerCase() === portName && p.protocol === proto);
    if (!ports.length) return nxdomain();
    if (q.type !== 'SRV' && q.type !== 'ANY') return nodata();
    return srvAnswer(env, svc, svcName, ports.map((p) => p.name), name, zone);
  }
  return nxdomain();
}

function serviceAnswer(env: ZoneEnv, q: Question, svc: ServiceInfo, svcName: string, nodata: () => ZoneAnswer, nxdomain: () => ZoneResult, chain: Rr[]): ZoneResult {
  const ttl = env.config.ttl;
  if (svc.type === 'ExternalName') return externalNameAnswer(env, q, svc, nodata, chain);
  if (q.type === 'SRV') return srvAnswer(env, svc, svcName, svc.ports.map((p) => p.name), svcName, zoneOf(svcName, env.config.zones)!);
  if (q.type !== 'A' && q.type !== 'ANY') return nodata();
  if (svc.clusterIP !== null) return { rcode: 'NOERROR', answer: [{ name: svcName, ttl, type: 'A', data: formatIpv4(svc.clusterIP) }], authority: [], additional: [] };
  const eps = readyEndpoints(svc);
  if (!eps.length) return nxdomain();
  return { rcode: 'NOERROR', answer: eps.map((e) => ({ name: svcName, ttl, type: 'A', data: formatIpv4(e.ip) })), authority: [], additional: [] };
}

/**
 * An ExternalName Service (backend_lookup.go A/AAAA, CNAME; kubernetes.go Services):
 * - CNAME: the CNAME record alone;
 * - A / AAAA (ANY as A, like the rest of this model): the CNAME, then the target's records. A
 *   target inside the zone is looked up by the plugin itself, and the CNAME is given only when
 *   that lookup has records (else NODATA); a target outside is looked up through the server's
 *   chain (`chase`: forward). A CNAME to the name itself, one already in the chain, or past
 *   the 8th link is dropped (NODATA);
 * - any other type: NODATA (SRV drops external services, TXT only has dns-version).
 */
function externalNameAnswer(env: ZoneEnv, q: Question, svc: ServiceInfo, nodata: () => ZoneAnswer, chain: Rr[]): ZoneResult {
  const owner = absolute(q.name);
  const target = absolute(svc.externalName ?? '');
  const cname: Rr = { name: owner, ttl: env.config.ttl, type: 'CNAME', data: target };
  if (q.type === 'CNAME') return { rcode: 'NOERROR', answer: [cname], authority: [], additional: [] };
  if (q.type !== 'A' && q.type !== 'AAAA' && q.type !== 'ANY') return nodata();
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (same(owner, target) || chain.length >= MAX_CNAME_CHAIN || chain.some((r) => r.type === 'CNAME' && same(r.name, owner) && same(r.data as string, target))) return nodata();
  const zone = zoneOf(owner, env.config.zones)!;
  if (!same(target, zone) && !target.toLowerCase().endsWith(`.${zone}`)) return { rcode: 'NOERROR', answer: [cname], authority: [], additional: [], chase: target };
  const next = kubernetesAnswer(env, { name: target, type: q.type }, [...chain, cname]);
  if (next === 'fallthrough' || next.rcode !== 'NOERROR' || next.answer.length === 0) return nodata();
  return { rcode: 'NOERROR', answer: [cname, ...next.answer], authority: [], additional: [], ...(next.chase ? { chase: next.chase } : {}) };
}

function srvAnswer(env: ZoneEnv, svc: ServiceInfo, svcName: string, portNames: string[], owner: string, zone: string): ZoneAnswer {
  const ttl = env.config.ttl;
  const answer: Rr[] = [];
  const additional: Rr[] = [];
  const targets: { target: string; port: number; ip: string }[] = [];
  for (const portName of portNames) {
    const port = svc.ports.find((p) => p.name === portName)!;
    if (svc.clusterIP !== null) targets.push({ target: svcName, port: port.port, ip: formatIpv4(svc.clusterIP) });
    else
      for (const e of readyEndpoints(svc)) {
        const ep = e.ports.find((p) => p.name === portName);
        if (ep) targets.push({ target: `${endpointHost(e)}.${svc.name}.${svc.namespace}.svc.${zone}`, port: ep.port, ip: formatIpv4(e.ip) });
      }
  }
  // plugin/kubernetes: every record has priority 0 and weight 100 split evenly between them.
  const weight = targets.length ? Math.floor(100 / targets.length) : 100;
  for (const t of targets) {
    answer.push({ name: owner, ttl, type: 'SRV', data: { priority: 0, weight, port: t.port, target: t.target } });
    if (!additional.some((a) => a.name === t.target)) additional.push({ name: t.target, ttl, type: 'A', data: t.ip });
  }
  return { rcode: 'NOERROR', answer, authority: [], additional };
}

function podAnswer(env: ZoneEnv, q: Question, labels: string[], zone: string, nodata: () => ZoneAnswer, nxdomain: () => ZoneResult): ZoneResult {
  if (env.config.pods === 'disabled') return nxdomain();
  if (labels.length === 1) return nodata();
  const ns = labels[labels.length - 2];
  if (labels.length === 2) return namespaceExists(env.cluster, ns) ? nodata() : nxdomain();
  if (labels.length !== 3 || !namespaceExists(env.cluster, ns)) return nxdomain();
  const ip = parseIpv4(labels[0].replace(/-/g, '.'));
  if (ip === null || !/^\d+-\d+-\d+-\d+$/.test(labels[0])) return nxdomain();
  if (env.config.pods === 'verified') {
    const owns = [...env.cluster.pods.values()].some((p) => (p.meta.namespace ?? 'default') === ns && p.attachment?.ip === ip);
    if (!owns) return nxdomain();
  }
  if (q.type !== 'A' && q.type !== 'ANY') return nodata();
  return { rcode: 'NOERROR', answer: [{ name: `${labels.join('.')}.${zone}`, ttl: env.config.ttl, type: 'A', data: formatIpv4(ip) }], authority: [], additional: [] };
}

/**
 * PTR targets of an address (reverse.go serviceRecordForIP): a Service's ClusterIP names that
 * Service; otherwise every ready endpoint with the address names itself under its Service, so
 * a pod backing several Services (headless ones, say) has one PTR per Service, duplicates
 * dropped (backend_lookup.go PTR). In Service order (the API's order is the informer's).
 */
function reverseTargets(env: ZoneEnv, ip: string): string[] {
  const domain = env.config.zones.find((z) => !z.endsWith('arpa.')) ?? absolute(env.cluster.config.clusterDomain);
  const addr = parseIpv4(ip);
  if (addr === null) return [];
  const svc = env.table.byClusterIP.get(addr);
  if (svc) return [`${svc.name}.${svc.namespace}.svc.${domain}`];
  const out = new Set<string>();
  for (const s of env.table.services) {
    for (const e of readyEndpoints(s)) if (e.ip === addr) out.add(`${endpointHost(e)}.${s.name}.${s.namespace}.svc.${domain}`);
  }
  return [...out];
}
