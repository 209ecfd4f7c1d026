/**
 * What the app adds in the terminal so its first prompt and the Trace panel's hints agree
 * (issue 13 point 8): the workstation prompt (`$ `) has kubectl and ssh, as a laptop with a
 * kubeconfig does; ping, traceroute, nslookup and in-cluster names work inside a pod or on a
 * node. The shell's own messages stay the real ones ("sh: ping: not found"); a dim line marked
 * `podpath:` after them says where the command works. Pure, for tests.
 */
import type { Cluster } from '../../engine/model/cluster';
import { placesToGo } from '../../engine/shell/placesToGo';

const NETWORK_TOOLS = /^sh: (ping|traceroute|nslookup|dig|host|wget|nc|ip|bridge|iptables|iptables-save|conntrack|getent): not found/;
const UNRESOLVED = /curl: \(6\) Could not resolve host: ([^\s]+)/;

/** A `podpath:` hint after a workstation command that only works inside the cluster, or undefined. */
export function workstationHint(atWorkstation: boolean, stderr: string, pod: string | undefined, node: string | undefined): string | undefined {
  if (!atWorkstation) return undefined;
  const inPod = pod ? `kubectl exec -it ${pod} -- sh` : 'kubectl exec -it POD -- sh';
  const onNode = node ? `ssh ${node}` : 'ssh NODE';
  const tool = NETWORK_TOOLS.exec(stderr);
  if (tool) return `podpath: ${tool[1]} is not on your workstation; it runs in a pod (${inPod}) or on a node (${onNode}). Type help for more.`;
  const name = UNRESOLVED.exec(stderr);
  if (name) return `podpath: ${name[1]} is a name inside the cluster (CoreDNS answers pods, not your workstation): try it from a pod, ${inPod}.`;
  return undefined;
}

/**
 * What the workstation's hints name in this cluster (issue 13: they follow the cluster shown,
 * so after opening another example they never suggest a node or pod it does not have): a pod
 * to `kubectl exec` into and a node to `ssh` to (placesToGo), and a Service of the default
 * namespace to fetch (`web` when there is one). `key` changes when any of them does.
 */
export function clusterHints(cluster: Cluster): { key: string; pod?: string; node?: string; service?: string } {
  const to = placesToGo(cluster);
  const services = [...cluster.objects.keys()].filter((k) => k.startsWith('Service/default/')).map((k) => k.slice('Service/default/'.length));
  const service = services.includes('web') ? 'web' : services[0];
  const pod = to.pod?.meta.name;
  const node = to.node?.meta.name;
  return { key: `${cluster.config.name}|${pod ?? ''}|${node ?? ''}|${service ?? ''}`, pod, node, service };
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
    bold(`kubectl exec -it ${h.pod ?? 'POD'} -- sh`) +
    dim(', or on a node: ') +
    bold(`ssh ${h.node ?? 'NODE'}`)
  );
}
