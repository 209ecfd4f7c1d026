/**
 * kube-proxy's nftables proxier (pkg/proxy/nftables/proxier.go, v1.31): one table `ip kube-proxy`
 * with sets/maps instead of per-Service rules in the dispatch path: `service-ips` (daddr . proto .
 * port → goto service chain), `service-nodeports`, `no-endpoint-services`; per Service port a
 * chain `service-<hash8>-ns/name/proto/port` with the masquerade check and a `numgen random mod N
 * vmap`, per endpoint `endpoint-<hash8>-ns/name/proto/port__ip/port` with the DNAT. <hash8> is
 * the first 8 characters of base32(sha256(name)) (hashAndTruncate). Rendered the way
 * `nft list table ip kube-proxy` prints it (priorities by name: dstnat, srcnat).
 */
import { formatIpv4, type Cidr } from '../addressing/ipv4';
import { sha256Hex } from '../util/hash';
import type { PortEndpoint, ServicePortView } from './endpoints';
import { base32OfHex } from './hash';
import { backendsFor, frontends } from './lookup';
import type { Ipv4 } from '../addressing/ipv4';

const hashAndTruncate = (name: string) => `${base32OfHex(sha256Hex(name)).slice(0, 8)}-${name}`;

export function nftChainNames(v: ServicePortView) {
  const base = `${v.svc.namespace}/${v.svc.name}/${v.proto}/${v.port.name}`;
  return {
    service: `service-${hashAndTruncate(base)}`,
    local: `local-${hashAndTruncate(base)}`,
    external: `external-${hashAndTruncate(base)}`,
    endpoint: (e: PortEndpoint) => `endpoint-${hashAndTruncate(`${base}__${formatIpv4(e.ip)}/${e.port}`)}`,
  };
}

const MARK = '0x00004000';

function elements(items: string[], indent: string): string {
  if (!items.length) return '';
  return `${indent}elements = { ${items.join(`,\n${indent}\t     `)} }\n`;
}

export interface NftInputs {
  views: ServicePortView[];
  clusterCIDR: Cidr;
  serviceCIDR: Cidr;
  nodeIps: Ipv4[];
}

export function nftListTable(o: NftInputs): string {
  const t = '\t';
  const clusterIps = [...new Set(o.views.map((v) => formatIpv4(v.svc.clusterIP!)))];
  const serviceIps: string[] = [];
  const nodeports: string[] = [];
  const noEndpoints: string[] = [];
  const chains: string[] = [];
  for (const v of o.views) {
    const n = nftChainNames(v);
    const eps = backendsFor({ view: v, kind: 'ClusterIP' });
    const ip = formatIpv4(v.svc.clusterIP!);
    if (!v.cluster.length) {
      noEndpoints.push(`${ip} . ${v.proto} . ${v.port.port} comment "${v.name}" : goto reject-chain`);
      continue;
    }
    serviceIps.push(`${ip} . ${v.proto} . ${v.port.port} : goto ${n.service}`);
    const ext = v.port.nodePort !== undefined || v.svc.externalIPs.length > 0 || v.svc.loadBalancerIP !== undefined;
    for (const x of v.svc.externalIPs) serviceIps.push(`${formatIpv4(x)} . ${v.proto} . ${v.port.port} : goto ${n.external}`);
    if (v.svc.loadBalancerIP !== undefined) serviceIps.push(`${formatIpv4(v.svc.loadBalancerIP)} . ${v.proto} . ${v.port.port} : goto ${n.external}`);
    if (v.port.nodePort !== undefined) nodeports.push(`${v.proto} . ${v.port.nodePort} : goto ${n.external}`);
    const svcRules = [`ip daddr ${ip} ${v.proto} dport ${v.port.port} ip saddr != ${o.clusterCIDR} jump mark-for-masquerade`];
    svcRules.push(`numgen random mod ${eps.length} vmap { ${eps.map((e, i) => `${i} : goto ${n.endpoint(e)}`).join(', ')} }`);
    chains.push(chain(n.service, svcRules));
    if (ext) chains.push(chain(n.external, [`jump mark-for-masquerade`, `goto ${n.service}`]));
    for (const e of eps) chains.push(chain(n.endpoint(e), [`ip saddr ${formatIpv4(e.ip)} jump mark-for-masquerade`, `meta l4proto ${v.proto} dnat to ${e.text}`]));
  }
  void frontends;
  const set = (name: string, type: string, comment: string, items: string[], flags = '') =>
    `${t}set ${name} {\n${t}${t}type ${type}\n${flags}${t}${t}comment "${comment}"\n${elements(items, t + t)}${t}}\n`;
  const map = (name: string, type: string, comment: string, items: string[]) => `${t}map ${name} {\n${t}${t}type ${type} : verdict\n${t}${t}comment "${comment}"\n${elements(items, t + t)}${t}}\n`;
  const parts = [
    `table ip kube-proxy {\n${t}comment "rules for kube-proxy"\n`,
    set('cluster-ips', 'ipv4_addr', 'Active ClusterIPs', clusterIps),
    '\n' + set('nodeport-ips', 'ipv4_addr', 'IPs that accept NodePort traffic', o.nodeIps.map(formatIpv4)),
    '\n' + map('no-endpoint-services', 'ipv4_addr . inet_proto . inet_service', 'vmap to drop or reject packets to services with no endpoints', noEndpoints),
    '\n' + map('no-endpoint-nodeports', 'inet_proto . inet_service', 'vmap to drop or reject packets to service nodeports with no endpoints', []),
    '\n' + map('service-ips', 'ipv4_addr . inet_proto . inet_service', 'ClusterIP, ExternalIP and LoadBalancer IP traffic', serviceIps),
    '\n' + map('service-nodeports', 'inet_proto . inet_service', 'NodePort traffic', nodeports),
    '\n' + chain('filter-prerouting', ['type filter hook prerouting priority dstnat - 10; policy accept;', 'ct state new jump firewall-check']),
    chain('filter-input', ['type filter hook input priority -110; policy accept;', 'ct state new jump nodeport-endpoints-check', 'ct state new jump service-endpoints-check']),
    chain('filter-forward', ['type filter hook forward priority -110; policy accept;', 'ct state new jump service-endpoints-check', 'ct state new jump cluster-ips-check']),
    chain('filter-output', ['type filter hook output priority dstnat - 10; policy accept;', 'ct state new jump service-endpoints-check', 'ct state new jump firewall-check']),
    chain('filter-output-post-dnat', ['type filter hook output priority dstnat + 10; policy accept;', 'ct state new jump cluster-ips-check']),
    chain('nat-prerouting', ['type nat hook prerouting priority dstnat; policy accept;', 'jump services']),
    chain('nat-output', ['type nat hook output priority dstnat; policy accept;', 'jump services']),
    chain('nat-postrouting', ['type nat hook postrouting priority srcnat; policy accept;', 'jump masquerading']),
    chain('cluster-ips-check', ['ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"', `ip daddr ${o.serviceCIDR} drop comment "Drop traffic to unallocated ClusterIPs"`]),
    chain('mark-for-masquerade', [`meta mark set meta mark | ${MARK}`]),
    chain('masquerading', [`meta mark & ${MARK} == 0x00000000 return`, `meta mark set meta mark ^ ${MARK}`, 'masquerade fully-random']),
    chain('services', ['ip daddr . meta l4proto . th dport vmap @service-ips', 'ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports']),
    chain('firewall-check', []),
    chain('service-endpoints-check', ['ip daddr . meta l4proto . th dport vmap @no-endpoint-services']),
    chain('nodeport-endpoints-check', ['ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports']),
    chain('reject-chain', ['comment "helper for @no-endpoint-services / @no-endpoint-nodeports"', 'reject']),
    ...chains,
  ];
  return parts.join('').replace(/\n$/, '') + '\n}\n';
}

function chain(name: string, lines: string[]): string {
  return `\tchain ${name} {\n${lines.map((l) => `\t\t${l}\n`).join('')}\t}\n\n`;
}
