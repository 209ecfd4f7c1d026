/**
 * The Corefile CoreDNS runs with: kubeadm's default (cmd/kubeadm/app/phases/addons/dns/manifests.go,
 * CoreDNS v1.11.3 on Kubernetes v1.31), or the one in the cluster's `kube-system/coredns`
 * ConfigMap when a scenario brings its own (e.g. with `log` added). Only what changes the
 * answers is read: the kubernetes plugin's zones, `ttl`, `pods` mode and `fallthrough`, and
 * whether `log` and `forward` are present.
 */
import type { Cluster } from '../model/cluster';

export const DEFAULT_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

export interface CorefileConfig {
  text: string;
  /** Zones of the kubernetes plugin, absolute (`cluster.local.`). */
  zones: string[];
  /** kubernetes `ttl`; the plugin's default is 5 s, kubeadm writes `ttl 30` (coredns.io/plugins/kubernetes; kubernetes#76238). */
  ttl: number;
  pods: 'disabled' | 'insecure' | 'verified';
  /** Zones whose NXDOMAIN falls through to the next plugin (forward). */
  fallthrough: string[];
  log: boolean;
  forward: boolean;
}

const abs = (z: string) => (z.endsWith('.') ? z : z + '.');

/** Plugin lines of the first server block, with the directives of their `{ }` blocks. */
export function parseCorefile(text: string, clusterDomain = 'cluster.local'): CorefileConfig {
  const cfg: CorefileConfig = { text, zones: [], ttl: 5, pods: 'disabled', fallthrough: [], log: false, forward: false };
  const lines = text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  let depth = 0;
  let inKubernetes = false;
  for (const line of lines) {
    const words = line.replace(/[{}]/g, ' ').trim().split(/\s+/).filter(Boolean);
    const opens = (line.match(/\{/g) ?? []).length;
    const closes = (line.match(/\}/g) ?? []).length;
    if (depth === 1 && words.length) {
      const plugin = words[0];
      if (plugin === 'log') cfg.log = true;
      if (plugin === 'forward') cfg.forward = true;
      if (plugin === 'kubernetes') {
        cfg.zones = (words.length > 1 ? words.slice(1) : [clusterDomain]).map(abs);
        inKubernetes = opens > closes;
      }
    } else if (depth === 2 && inKubernetes && words.length) {
      if (words[0] === 'ttl' && /^\d+$/.test(words[1] ?? '')) cfg.ttl = Math.min(3600, Number(words[1]));
      if (words[0] === 'pods' && (words[1] === 'insecure' || words[1] === 'verified' || words[1] === 'disabled')) cfg.pods = words[1];
      if (words[0] === 'fallthrough') cfg.fallthrough = words.length > 1 ? words.slice(1).map(abs) : [...cfg.zones];
    }
    depth += opens - closes;
    if (depth < 2) inKubernetes = depth === 1 && inKubernetes && opens > closes;
  }
  return cfg;
}

/** The Corefile of the cluster's CoreDNS: the `coredns` ConfigMap's, else kubeadm's. */
export function corefileOf(cluster: Cluster): CorefileConfig {
  const cm = cluster.objects.get('ConfigMap/kube-system/coredns');
  const data = cm?.manifest.data as Record<string, unknown> | undefined;
  const text = typeof data?.Corefile === 'string' ? data.Corefile : DEFAULT_COREFILE;
  return parseCorefile(text, cluster.config.clusterDomain);
}
