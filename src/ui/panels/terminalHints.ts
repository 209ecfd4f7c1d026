/**
 * What the app adds in the terminal so its first prompt and the Trace panel's hints agree
 * (issue 13 point 8): the workstation prompt (`$ `) has kubectl and ssh, as a laptop with a
 * kubeconfig does; ping, traceroute, nslookup and in-cluster names work inside a pod or on a
 * node. The shell's own messages stay the real ones ("sh: ping: not found"); a dim line marked
 * `podpath:` after them says where the command works. Pure, for tests; no engine code but
 * placesToGo's, so the trace form of the first paint can use it (policyHint.ts is the terminal's).
 */
import type { Cluster } from '../../engine/model/cluster';
import { placesToGo } from '../../engine/shell/placesToGo';

const NETWORK_TOOLS = /^sh: (ping|traceroute|nslookup|dig|host|wget|nc|ip|bridge|iptables|iptables-save|conntrack|getent): not found/;
const UNRESOLVED = /curl: \(6\) Could not resolve host: ([^\s]+)/;

/**
 * A `podpath:` hint after a workstation command that only works inside the cluster, or undefined.
 * It names this cluster's pod (with `-n NS` outside the default namespace) and node, as
 * clusterHints does for the greeting, so it never says POD while the cluster has a pod to enter.
 */
export function workstationHint(atWorkstation: boolean, stderr: string, cluster: Cluster): string | undefined {
  if (!atWorkstation) return undefined;
  const h = clusterHints(cluster);
  const onNode = `ssh ${h.node ?? 'NODE'}`;
  const tool = NETWORK_TOOLS.exec(stderr);
  if (tool) return `podpath: ${tool[1]} is not on your workstation; it runs in a pod (${h.exec}) or on a node (${onNode}). Type help for more.`;
  const name = UNRESOLVED.exec(stderr);
  if (name) return `podpath: ${name[1]} is a name inside the cluster (CoreDNS answers pods, not your workstation): try it from a pod, ${h.exec}.`;
  return undefined;
}

/**
 * What the workstation's hints name in this cluster (issue 13: they follow the cluster shown,
 * so after opening another example they never suggest a node or pod it does not have): a pod
 * to `kubectl exec` into (placesToGo's, in the default namespace; else the first running pod of
 * an application namespace, with `-n`), a node to `ssh` to, and a Service of the pod's namespace
 * to fetch (`web` when there is one). `exec` is the whole command; `key` changes when any of
 * them does.
 */
export function clusterHints(cluster: Cluster): { key: string; exec: string; pod?: string; namespace?: string; node?: string; service?: string } {
  const to = placesToGo(cluster);
  const app = (ns: string) => !(ns.startsWith('kube-') || ns.endsWith('-system'));
  const other = to.pod ? undefined : [...cluster.pods.values()].find((p) => !p.hostNetwork && p.attachment && app(p.meta.namespace ?? 'default'));
  const podRec = to.pod ?? other;
  const namespace = podRec?.meta.namespace ?? 'default';
  const prefix = `Service/${namespace}/`;
  const services = [...cluster.objects.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  const service = services.includes('web') ? 'web' : services[0];
  const pod = podRec?.meta.name;
  const node = to.node?.meta.name;
  const exec = `kubectl exec -it ${namespace !== 'default' ? `-n ${namespace} ` : ''}${pod ?? 'POD'} -- sh`;
  return { key: `${cluster.config.name}|${exec}|${node ?? ''}|${service ?? ''}`, exec, pod, namespace, node, service };
}

const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
const bold = (s: string) => `\x1b[1m${s}\x1b[0m`;

/**
 * The terminal's line saying where ping, traceroute and wget/curl run, naming this cluster's pod
 * and node (ANSI dim and bold). `opened` says another cluster was just opened (the line then
 * names it first).
 */
export function greetingLine(cluster: Cluster, opened: boolean): string {
  const h = clusterHints(cluster);
  const head = opened ? `Now on cluster ${cluster.config.name} (${cluster.config.cni}). ` : 'This is your workstation. ';
  return (
    dim(`${head}ping, traceroute, wget/curl run in a pod: `) +
    bold(h.exec) +
    dim(', or on a node: ') +
    bold(`ssh ${h.node ?? 'NODE'}`)
  );
}
