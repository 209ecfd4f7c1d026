/**
 * The /etc/resolv.conf kubelet writes for a pod (pkg/kubelet/network/dns/dns.go GetPodDNS):
 * - ClusterFirst (the default): the cluster DNS Service, search `<ns>.svc.<domain>
 *   svc.<domain> <domain>` (plus the node's own search domains), `options ndots:5`;
 *   a hostNetwork pod with ClusterFirst gets the node's resolver instead (getPodDNSType);
 * - ClusterFirstWithHostNet: the cluster form, even for hostNetwork pods;
 * - Default: the node's resolver (kubelet --resolv-conf; on systemd-resolved hosts kubeadm points
 *   it at /run/systemd/resolve/resolv.conf, which names the real upstream, not 127.0.0.53);
 * - None: only spec.dnsConfig.
 * spec.dnsConfig is merged last: nameservers and searches appended without duplicates, options
 * replacing same-named ones (appendDNSConfig). The file is written search, nameserver, options.
 */
import { formatIpv4 } from '../addressing/ipv4';
import type { Cluster, PodRec } from '../model/cluster';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: { name: string; value?: string }[];
}

/** kubeadm's clusterDNS: the 10th address of the Service CIDR (the kube-dns Service). */
export function clusterDnsAddress(cluster: Cluster): string {
  return formatIpv4(cluster.config.serviceCIDR.nth(10));
}

/** The resolver the node's upstream file names: the node network's gateway. */
export function nodeUpstreamResolver(cluster: Cluster): string {
  return formatIpv4(cluster.config.nodeNetwork.nth(1));
}

/** /run/systemd/resolve/resolv.conf on the nodes, as kubelet reads it. */
export function nodeUpstreamConf(cluster: Cluster): ResolvConf {
  return { nameservers: [nodeUpstreamResolver(cluster)], search: [], options: [{ name: 'edns0' }, { name: 'trust-ad' }] };
}

export function podResolv(cluster: Cluster, pod: PodRec): ResolvConf {
  const policy = pod.dns?.policy ?? 'ClusterFirst';
  const d = cluster.config.clusterDomain;
  const ns = pod.meta.namespace ?? 'default';
  let conf: ResolvConf;
  const clusterForm = (): ResolvConf => ({ nameservers: [clusterDnsAddress(cluster)], search: [`${ns}.svc.${d}`, `svc.${d}`, d], options: [{ name: 'ndots', value: '5' }] });
  if (policy === 'None') conf = { nameservers: [], search: [], options: [] };
  else if (policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !pod.hostNetwork)) conf = clusterForm();
  else conf = nodeUpstreamConf(cluster);
  const extra = pod.dns;
  for (const s of extra?.nameservers ?? []) if (!conf.nameservers.includes(s)) conf.nameservers.push(s);
  for (const s of extra?.searches ?? []) if (!conf.search.includes(s)) conf.search.push(s);
  for (const o of extra?.options ?? []) {
    const i = conf.options.findIndex((x) => x.name === o.name);
    if (i >= 0) conf.options[i] = o;
    else conf.options.push(o);
  }
  return conf;
}

export function formatResolvConf(c: ResolvConf): string {
  let s = '';
  if (c.search.length) s += `search ${c.search.join(' ')}\n`;
  for (const n of c.nameservers) s += `nameserver ${n}\n`;
  if (c.options.length) s += `options ${c.options.map((o) => (o.value !== undefined ? `${o.name}:${o.value}` : o.name)).join(' ')}\n`;
  return s;
}

/** Parse resolv.conf text as the stub resolvers do (last `search`/`domain` wins; ndots default 1, capped at 15). */
export function parseResolvConf(text: string): ResolvConf & { ndots: number } {
  const c: ResolvConf & { ndots: number } = { nameservers: [], search: [], options: [], ndots: 1 };
  for (const raw of text.split('\n')) {
    const words = raw.replace(/[#;].*/, '').trim().split(/\s+/).filter(Boolean);
    if (!words.length) continue;
    if (words[0] === 'nameserver' && words[1]) c.nameservers.push(words[1]);
    else if (words[0] === 'search') c.search = words.slice(1).filter((w) => w !== '.');
    else if (words[0] === 'domain' && words[1]) c.search = [words[1]];
    else if (words[0] === 'options')
      for (const w of words.slice(1)) {
        const [name, value] = w.split(':');
        c.options.push(value !== undefined ? { name, value } : { name });
        if (name === 'ndots' && /^\d+$/.test(value ?? '')) c.ndots = Math.min(15, Number(value));
      }
  }
  return c;
}
