/**
 * `kubectl expose pod|deployment|replicaset|service NAME`: the Service kubectl's generator builds
 * (selector from the pod's labels or the controller's spec.selector.matchLabels, ports from
 * --port or the containers' ports, named `port-1`, `port-2`... when there are several), created
 * through the engine's apply (controllers/commands), which validates and allocates it like the API
 * server. Prints `service/NAME exposed`.
 */
import type { Cluster } from '../../model/cluster';
import { findPod } from '../files';
import { fail, out, type Ctx, type Out } from '../types';

const KINDS: Record<string, 'Pod' | 'Deployment' | 'ReplicaSet' | 'Service'> = {
  po: 'Pod', pod: 'Pod', pods: 'Pod',
  deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment',
  rs: 'ReplicaSet', replicaset: 'ReplicaSet', replicasets: 'ReplicaSet',
  svc: 'Service', service: 'Service', services: 'Service',
};
const RESOURCE = { Pod: 'pods', Deployment: 'deployments.apps', ReplicaSet: 'replicasets.apps', Service: 'services' };

type Flags = Record<string, string | true>;
const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);

interface Source {
  labels: Record<string, string>;
  selector: Record<string, string>;
  ports: { port: number; protocol: string; name?: string }[];
}

function sourceOf(cluster: Cluster, kind: keyof typeof RESOURCE, ns: string, name: string): Source | undefined {
  if (kind === 'Pod') {
    const pod = findPod(cluster, ns, name);
    if (!pod) return undefined;
    const ports = pod.containers.flatMap((c) => c.ports.map((p) => ({ port: p.containerPort, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) })));
    return { labels: pod.meta.labels, selector: pod.meta.labels, ports };
  }
  if (kind === 'Service') {
    const svc = cluster.objects.get(`Service/${ns}/${name}`);
    if (!svc) return undefined;
    const spec = (svc.manifest.spec ?? {}) as { selector?: Record<string, string>; ports?: { port: number; protocol?: string; name?: string }[] };
    return { labels: svc.meta.labels, selector: spec.selector ?? {}, ports: (spec.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP', ...(p.name ? { name: p.name } : {}) })) };
  }
  const w = cluster.workloads.get(`${kind}/${ns}/${name}`);
  if (!w) return undefined;
  const ml = ((w.selector as { matchLabels?: Record<string, string> }).matchLabels ?? {}) as Record<string, string>;
  const tspec = ((w.template as { spec?: { containers?: { ports?: { containerPort: number; protocol?: string; name?: string }[] }[] } }).spec ?? {});
  const ports = (tspec.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP', ...(p.name ? { name: p.name } : {}) })));
  return { labels: w.meta.labels, selector: ml, ports };
}

const intOrName = (v: string): number | string => (/^\d+$/.test(v) ? Number(v) : v);

export function cmdExpose(positional: string[], flags: Flags, ctx: Ctx): Out {
  const ns = str(flags.namespace) ?? 'default';
  let [kindWord, name] = positional;
  if (kindWord?.includes('/')) [kindWord, name] = kindWord.split('/');
  const kind = kindWord ? KINDS[kindWord.toLowerCase()] : undefined;
  if (!kindWord) return fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  if (!kind) return fail(`error: the server doesn't have a resource type "${kindWord}"`);
  if (!name) return fail(`error: arguments in resource/name form must have a single resource and name`);
  const cluster = ctx.session.cluster;
  const src = sourceOf(cluster, kind, ns, name);
  if (!src) return fail(`Error from server (NotFound): ${RESOURCE[kind]} "${name}" not found`);
  const svcName = str(flags.name) ?? name;
  if (cluster.objects.has(`Service/${ns}/${svcName}`)) return fail(`Error from server (AlreadyExists): services "${svcName}" already exists`);
  const selectorFlag = str(flags.selector);
  const selector = selectorFlag ? Object.fromEntries(selectorFlag.split(',').map((kv) => kv.split('=') as [string, string])) : src.selector;
  if (!Object.keys(selector).length) return fail(`error: couldn't retrieve selectors via --selector flag or introspection: the ${kind.toLowerCase()} has no labels and cannot be exposed\nSee 'kubectl expose -h' for help and examples`);
  const protocol = str(flags.protocol);
  const targetPort = str(flags['target-port']);
  let ports: Record<string, unknown>[];
  const portFlag = str(flags.port);
  if (portFlag) ports = [{ port: Number(portFlag), protocol: protocol ?? 'TCP', targetPort: targetPort ? intOrName(targetPort) : Number(portFlag) }];
  else if (src.ports.length) {
    ports = src.ports.map((p, i) => ({
      ...(src.ports.length > 1 ? { name: p.name ?? `port-${i + 1}` } : {}),
      port: p.port,
      protocol: protocol ?? p.protocol,
      targetPort: targetPort ? intOrName(targetPort) : p.port,
    }));
  } else return fail("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples");
  const spec: Record<string, unknown> = { ports, selector };
  const type = str(flags.type);
  if (type) spec.type = type;
  const clusterIP = str(flags['cluster-ip']);
  if (clusterIP) spec.clusterIP = clusterIP;
  const externalIP = str(flags['external-ip']);
  if (externalIP) spec.externalIPs = externalIP.split(',');
  const labels = str(flags.labels) ? Object.fromEntries(str(flags.labels)!.split(',').map((kv) => kv.split('=') as [string, string])) : src.labels;
  const manifest = { apiVersion: 'v1', kind: 'Service', metadata: { name: svcName, namespace: ns, ...(Object.keys(labels).length ? { labels } : {}) }, spec };
  const apply = ctx.session.options.ops?.applyManifests?.(cluster, JSON.stringify(manifest), 'kubectl-expose');
  if (!apply) return fail('error: this simulator session cannot create services');
  if (!apply.ok) return fail(apply.error);
  ctx.session.cluster = apply.cluster;
  return out(`service/${svcName} exposed\n`);
}
