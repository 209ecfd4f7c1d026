/**
 * Address ranges of the scenario: what a dump implies when no Cluster document says otherwise,
 * and the checks that recorded addresses fit the ranges (nodes in nodeNetwork, node PodCIDRs
 * carved out of podCIDR at the mask size, Service clusterIPs in serviceCIDR, no overlaps).
 */
import { checkAzure } from './azureConfig';
import { Cidr, formatIpv4, parseIpv4, type Ipv4 } from '../addressing/ipv4';
import type { ClusterConfig, ManifestRec } from '../model/cluster';
import type { ConfigDoc } from './clusterConfig';
import { invalid } from './messages';
import { checkGkeRanges, isGke } from './gkeRanges';
import { isPlainObject } from './parseFiles';
import { placeOf, type ObjectPlace, type Problems } from './problems';
import { INVALID_IP, objectName } from './readManifests';
import type { NodeDecl } from './types';

/** The smallest block holding every address, but never narrower than `maxPrefix`. */
function supernet(addrs: Ipv4[], maxPrefix: number): Cidr {
  let lo = addrs[0];
  let hi = addrs[0];
  for (const a of addrs) {
    if (a < lo) lo = a;
    if (a > hi) hi = a;
  }
  const common = (lo ^ hi) === 0 ? 32 : Math.clz32((lo ^ hi) >>> 0);
  return new Cidr(lo, Math.min(common, maxPrefix));
}

function clusterIPOf(svc: ManifestRec): string | undefined {
  const spec = isPlainObject(svc.manifest.spec) ? svc.manifest.spec : {};
  const ip = spec.clusterIP;
  return typeof ip === 'string' && ip !== '' && ip !== 'None' ? ip : undefined;
}

/**
 * Only for a dump of a real cluster (Node manifests that record addresses), and only for
 * fields the Cluster document does not set: the recorded addresses decide the ranges the
 * defaults do not hold: the node
 * network holds the nodes' InternalIPs (at least a /24), the pod CIDR the nodes' PodCIDRs (at
 * least a /16, mask size from them) and the Service CIDR the clusterIPs (at least a /16) —
 * unless the defaults already hold them.
 */
export function inferRanges(doc: ConfigDoc, nodeManifests: NodeDecl[], services: ManifestRec[]): void {
  const { config, explicit } = doc;
  const nodes = nodeManifests;
  if (!nodes.some((n) => n.ip !== undefined || n.podCIDR !== undefined)) return;
  const ips = nodes.flatMap((n) => (n.ip !== undefined ? [n.ip] : []));
  if (!explicit.has('nodeNetwork') && ips.length && !ips.every((ip) => config.nodeNetwork.contains(ip))) config.nodeNetwork = supernet(ips, 24);
  const cidrs = nodes.flatMap((n) => (n.podCIDR ? [n.podCIDR] : []));
  if (cidrs.length) {
    if (!explicit.has('podCIDR') && !cidrs.every((c) => config.podCIDR.containsSubnet(c))) {
      config.podCIDR = supernet(cidrs.flatMap((c) => [c.network, c.broadcast]), 16);
    }
    const prefixes = new Set(cidrs.map((c) => c.prefix));
    if (!explicit.has('nodeCIDRMaskSize') && prefixes.size === 1) config.nodeCIDRMaskSize = cidrs[0].prefix;
  }
  const svcIps = services.flatMap((s) => {
    const t = s.kind === 'Service' ? clusterIPOf(s) : undefined;
    const ip = t ? parseIpv4(t) : null;
    return ip === null ? [] : [ip];
  });
  if (!explicit.has('serviceCIDR') && svcIps.length && !svcIps.every((ip) => config.serviceCIDR.contains(ip))) config.serviceCIDR = supernet(svcIps, 16);
}

/** Range checks of the Cluster document and of every recorded address. */
export function checkAddresses(doc: ConfigDoc, nodes: NodeDecl[], objects: ManifestRec[], problems: Problems, fallback: ObjectPlace): void {
  const { config } = doc;
  const place = doc.place ?? fallback;
  const ranges: [keyof ClusterConfig & ('nodeNetwork' | 'podCIDR' | 'serviceCIDR'), Cidr][] = [
    ['nodeNetwork', config.nodeNetwork],
    ['podCIDR', config.podCIDR],
    ['serviceCIDR', config.serviceCIDR],
  ];
  if (isGke(config.cni)) checkGkeRanges(config, place, problems);
  else for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [a, ca] = ranges[i];
      const [b, cb] = ranges[j];
      if (ca.overlaps(cb)) problems.at(place, ['spec', b], invalid(cb.toString(), `must not overlap with spec.${a} (${ca})`));
    }
  }
  // kubeadm GetDNSIP: the DNS Service takes the 10th address of the Service range (k8s.io/utils/net GetIndexedIP).
  if (!config.serviceCIDR.has(10)) {
    problems.at(place, ['spec', 'serviceCIDR'], invalid(config.serviceCIDR.toString(), `unable to get internal Kubernetes Service IP from the given service CIDR: can't generate IP with index 10 from subnet. subnet too small. subnet: "${config.serviceCIDR}"`));
  }
  checkAzure(config, nodes, problems, place);
  const maskOk = config.nodeCIDRMaskSize >= config.podCIDR.prefix && config.nodeCIDRMaskSize - config.podCIDR.prefix <= 16;
  if (config.nodeCIDRMaskSize < config.podCIDR.prefix) {
    problems.at(place, ['spec', 'nodeCIDRMaskSize'], invalid(config.nodeCIDRMaskSize, `must not be smaller than the prefix length of spec.podCIDR (${config.podCIDR})`));
  } else if (!maskOk) {
    // pkg/controller/nodeipam/ipam/cidrset: "the node CIDR size is too big" beyond 16 bits.
    problems.at(place, ['spec', 'nodeCIDRMaskSize'], invalid(config.nodeCIDRMaskSize, `the node CIDR size is too big: at most 16 bits longer than spec.podCIDR (${config.podCIDR})`));
  }

  const ipOwner = new Map<Ipv4, string>();
  const cidrOwners: { cidr: Cidr; node: string; report: (msg: string) => void }[] = [];
  for (const node of nodes) {
    const name = node.meta.name;
    if (!node.source) continue;
    // A Cluster-document node sits at spec.nodes[j] (fields ip, podCIDR); a Node manifest has status.addresses and spec.podCIDR.
    const src = node.source.path;
    const fromDoc = doc.place !== undefined && src[src.length - 2] === 'nodes';
    const np = fromDoc ? doc.place! : placeOf(node.source, objectName('Node', undefined, name))!;
    const at = (field: string, manifestPath: (string | number)[]) => (fromDoc ? ['spec', 'nodes', src[src.length - 1], field] : manifestPath);
    if (node.ip !== undefined) {
      const path = at('ip', ['status', 'addresses']);
      const ipText = formatIpv4(node.ip);
      if (!config.nodeNetwork.contains(node.ip)) problems.at(np, path, invalid(ipText, `must be inside spec.nodeNetwork (${config.nodeNetwork})`));
      const other = ipOwner.get(node.ip);
      if (other !== undefined) problems.at(np, path, invalid(ipText, `address already used by node ${JSON.stringify(other)}`));
      ipOwner.set(node.ip, name);
    }
    if (node.podCIDR) {
      const path = at('podCIDR', ['spec', 'podCIDR']);
      const c = node.podCIDR;
      if (!config.podCIDR.containsSubnet(c)) problems.at(np, path, invalid(c.toString(), `must be inside spec.podCIDR (${config.podCIDR})`));
      else if (maskOk && c.prefix !== config.nodeCIDRMaskSize) problems.at(np, path, invalid(c.toString(), `must be a /${config.nodeCIDRMaskSize} (spec.nodeCIDRMaskSize)`));
      cidrOwners.push({ cidr: c, node: name, report: (msg) => problems.at(np, path, msg) });
    }
  }
  // Overlapping node PodCIDRs: sorted by start, each block may only overlap the widest one before it.
  cidrOwners.sort((a, b) => a.cidr.network - b.cidr.network || a.cidr.prefix - b.cidr.prefix);
  let widest: (typeof cidrOwners)[number] | undefined;
  for (const o of cidrOwners) {
    if (widest && o.cidr.network <= widest.cidr.broadcast) {
      o.report(invalid(o.cidr.toString(), `overlaps the PodCIDR of node ${JSON.stringify(widest.node)} (${widest.cidr})`));
    }
    if (!widest || o.cidr.broadcast > widest.cidr.broadcast) widest = o;
  }

  // Service clusterIPs: pkg/registry/core/service/ipallocator messages, as the API server returns them.
  const taken = new Map<string, string>();
  for (const svc of objects) {
    if (svc.kind !== 'Service') continue;
    const text = clusterIPOf(svc);
    if (!text) continue;
    const sp = placeOf(svc.source, objectName('Service', svc.meta.namespace, svc.meta.name));
    const report = (msg: string) => sp && problems.at(sp, ['spec', 'clusterIP'], msg, 'spec.clusterIPs');
    const ip = parseIpv4(text);
    if (ip === null) {
      if (sp) problems.at(sp, ['spec', 'clusterIP'], invalid(text, INVALID_IP), 'spec.clusterIPs[0]');
      continue;
    }
    const list = `[]string{${JSON.stringify(text)}}`;
    if (!config.serviceCIDR.contains(ip)) report(`Invalid value: ${list}: failed to allocate IP ${text}: provided IP is not in the valid range. The range of valid IPs is ${config.serviceCIDR}`);
    else if (taken.has(text)) report(`Invalid value: ${list}: failed to allocate IP ${text}: provided IP is already allocated`);
    taken.set(text, svc.meta.name);
  }
}
