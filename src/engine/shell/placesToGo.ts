/**
 * The pod and node the workstation's hints name (help, the terminal's first lines, the Trace
 * panel): a running pod of the default namespace whose image has ping and traceroute (`client`
 * when it does; a Debian-based image such as nginx has neither, so a hint naming it would lead
 * to "ping: command not found"), else any such pod, and a worker node. A module of its own, with
 * no imports but types, so the first paint can use it.
 */
import type { Cluster } from '../model/cluster';
import type { Toolset } from './types';

/** Which tools an image has; decides `/ # ` vs `root@pod:/# ` too. */
export function toolsetOf(image: string): Toolset {
  const ref = image.split('@')[0];
  const name = ref.replace(/:[^/:]*$/, '').split('/').pop() ?? image;
  const tag = /:([^/:]*)$/.exec(ref)?.[1] ?? '';
  // `nginx:alpine`, `python:3.12-alpine`: the Alpine variants ship BusyBox (ash, wget, nslookup).
  if (/^(busybox|alpine)/.test(name) || /(^|-)alpine/.test(tag)) return 'busybox';
  // Docker's official images (no organisation: `nginx`, `docker.io/library/node`); `calico/node` is not Node.js.
  const path = ref.replace(/:[^/:]*$/, '').replace(/^docker\.io\//, '').replace(/^library\//, '');
  const official = !path.includes('/');
  if (official && /^(nginx|httpd|debian|ubuntu|redis|postgres|mysql|node|python|golang|openjdk|ruby|php|memcached|rabbitmq|mongo|pause)$/.test(name)) return 'debian';
  return 'full';
}

export function placesToGo(cluster: Cluster) {
  const pods = [...cluster.pods.values()].filter((p) => !p.hostNetwork && p.attachment && (p.meta.namespace ?? 'default') === 'default');
  const hasPing = (p: (typeof pods)[number]) => toolsetOf(p.containers[0]?.image ?? '') !== 'debian';
  const client = pods.find((p) => p.meta.name === 'client');
  const pod = (client && hasPing(client) ? client : pods.find(hasPing)) ?? client ?? pods[0];
  const node = cluster.nodes.find((n) => !n.meta.name.includes('control-plane')) ?? cluster.nodes[0];
  return { pod, node };
}
