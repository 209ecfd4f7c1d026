/**
 * `kubectl`: flag parsing (kubectl/cobra style: `-n ns`, `-nns`, `--namespace=ns`, flags
 * anywhere before `--`) and the verbs: get, describe, run, exec, delete, apply, debug,
 * cluster-info [dump], version. Errors are kubectl's own words.
 */
import { formatIpv4 } from '../../addressing/ipv4';
import type { Cluster } from '../../model/cluster';
import { sha256Hex } from '../../util/hash';
import { K8S_NAME_ALPHABET } from '../../sim/rng';
import { findPod } from '../files';
import { commandsFor, quote, toolsetOf } from '../places';
import { fail, out, type Ctx, type Handler, type Out, type Place } from '../types';
import { describeNamespace, describeNode, describePod } from './describe';
import { allNamespaces, get, resolveResource, type GetFlags, type ResourceKind } from './get';
import type { Json } from './output';
import { kubectlLogs } from './logs';
import { parseSelector } from './selector';
import { kubectlNetpol } from './netpol';
import { kubectlIngress } from './ingress';
import { cmdExpose } from './expose';
import { describeService } from './services';
import { servicesOf } from '../../services/table';

interface Parsed {
  positional: string[];
  /** Everything after `--`. */
  command: string[];
  flags: Record<string, string | true>;
}

/** Flags that take a value (so `-n ns` consumes `ns`). */
const VALUE_FLAGS = new Set(['n', 'namespace', 'o', 'output', 'l', 'selector', 'c', 'container', 'image', 'restart', 'f', 'filename', 'labels', 'env', 'port', 'profile', 'context', 'kubeconfig', 'target-port', 'type', 'name', 'protocol', 'cluster-ip', 'external-ip']);
const SHORT: Record<string, string> = { n: 'namespace', o: 'output', l: 'selector', c: 'container', f: 'filename', A: 'all-namespaces', i: 'stdin', t: 'tty', q: 'quiet' };

function parseArgs(args: string[]): Parsed | string {
  const p: Parsed = { positional: [], command: [], flags: {} };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      p.command = args.slice(i + 1);
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) p.flags[name] = a.slice(eq + 1);
      else if (VALUE_FLAGS.has(name)) {
        if (i + 1 >= args.length) return `error: flag needs an argument: --${name}`;
        p.flags[name] = args[++i];
      } else p.flags[name] = true;
    } else if (a.startsWith('-') && a.length > 1) {
      // Short flags, possibly combined (-it) or with an attached value (-nkube-system, -owide).
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const long = SHORT[c] ?? c;
        if (VALUE_FLAGS.has(c)) {
          let v = a.slice(j + 1);
          if (v.startsWith('=')) v = v.slice(1);
          if (!v) {
            if (i + 1 >= args.length) return `error: flag needs an argument: '${c}' in -${c}`;
            v = args[++i];
          }
          p.flags[long] = v;
          break;
        }
        p.flags[long] = true;
      }
    } else p.positional.push(a);
  }
  return p;
}

const str = (v: string | true | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function getFlags(p: Parsed): GetFlags | string {
  const f: GetFlags = {
    namespace: str(p.flags.namespace) ?? 'default',
    allNamespaces: p.flags['all-namespaces'] === true,
    showLabels: p.flags['show-labels'] === true,
    noHeaders: p.flags['no-headers'] === true,
  };
  const o = str(p.flags.output);
  if (o) f.output = o;
  const l = str(p.flags.selector);
  if (l !== undefined) {
    const s = parseSelector(l);
    if (!s.ok) return `error: ${s.error}`;
    f.selector = s.selector;
  }
  return f;
}

/** `pods`, `pods,nodes`, `pod/x` → kinds and names. */
function resourceArgs(positional: string[]): { kinds: ResourceKind[]; names: string[] } | Out {
  if (!positional.length) {
    return fail(
      `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples`,
    );
  }
  if (positional[0].includes('/')) {
    const kinds: ResourceKind[] = [];
    const names: string[] = [];
    for (const t of positional) {
      const [k, n] = t.split('/');
      const kind = resolveResource(k);
      if (!kind) return fail(`error: the server doesn't have a resource type "${k}"`);
      if (!kinds.includes(kind)) kinds.push(kind);
      names.push(n);
    }
    return { kinds, names };
  }
  const kinds: ResourceKind[] = [];
  for (const k of positional[0].split(',')) {
    const kind = resolveResource(k);
    if (!kind) return fail(`error: the server doesn't have a resource type "${k}"`);
    kinds.push(kind);
  }
  return { kinds, names: positional.slice(1) };
}

function cmdGet(p: Parsed, ctx: Ctx): Out {
  const netpol = kubectlNetpol('get', p, ctx);
  if (netpol) return netpol;
  const ingress = kubectlIngress('get', p, ctx);
  if (ingress) return ingress;
  const f = getFlags(p);
  if (typeof f === 'string') return fail(f);
  const r = resourceArgs(p.positional);
  if ('status' in r) return r;
  return get(ctx.session.cluster, r.kinds, r.names, f);
}

function cmdDescribe(p: Parsed, ctx: Ctx): Out {
  const netpol = kubectlNetpol('describe', p, ctx);
  if (netpol) return netpol;
  const ingress = kubectlIngress('describe', p, ctx);
  if (ingress) return ingress;
  const f = getFlags(p);
  if (typeof f === 'string') return fail(f);
  const r = resourceArgs(p.positional);
  if ('status' in r) return r;
  const cluster = ctx.session.cluster;
  const parts: string[] = [];
  let stderr = '';
  for (const kind of r.kinds) {
    const matchesName = (n: string) => r.names.length === 0 || r.names.some((x) => n.startsWith(x));
    if (kind === 'pods') {
      const pods = [...cluster.pods.values()].filter((x) => (f.allNamespaces || (x.meta.namespace ?? 'default') === f.namespace) && matchesName(x.meta.name));
      pods.sort((a, b) => a.meta.name.localeCompare(b.meta.name));
      if (!pods.length) stderr += r.names.length ? `Error from server (NotFound): pods "${r.names[0]}" not found\n` : `No resources found in ${f.namespace} namespace.\n`;
      for (const x of pods) parts.push(describePod(cluster, x));
    } else if (kind === 'nodes') {
      const nodes = cluster.nodes.filter((n) => matchesName(n.meta.name));
      if (!nodes.length) stderr += `Error from server (NotFound): nodes "${r.names[0]}" not found\n`;
      for (const n of nodes) parts.push(describeNode(cluster, n));
    } else if (kind === 'services') {
      const inNs = servicesOf(cluster).services.filter((s) => f.allNamespaces || s.namespace === f.namespace);
      // describe gets an exact name first and falls back to the name as a prefix.
      const exact = inNs.filter((s) => r.names.includes(s.name));
      const svcs = exact.length ? exact : inNs.filter((s) => matchesName(s.name));
      if (!svcs.length) stderr += r.names.length ? `Error from server (NotFound): services "${r.names[0]}" not found\n` : `No resources found in ${f.namespace} namespace.\n`;
      for (const s of svcs) parts.push(describeService(cluster, s));
    } else {
      const nss = allNamespaces(cluster).filter((n) => matchesName(n.meta.name));
      if (!nss.length) stderr += `Error from server (NotFound): namespaces "${r.names[0]}" not found\n`;
      for (const n of nss) parts.push(describeNamespace(n.meta.name, n.meta.labels));
    }
  }
  // kubectl separates several descriptions with a blank line.
  return out(parts.join('\n\n'), stderr, parts.length ? 0 : 1);
}

function apiServerUrl(cluster: Cluster): string {
  const cp = cluster.nodes.find((n) => n.role === 'control-plane') ?? cluster.nodes[0];
  return `https://${cp ? formatIpv4(cp.ip) : '127.0.0.1'}:6443`;
}

function cmdClusterInfo(p: Parsed, ctx: Ctx): Out {
  const cluster = ctx.session.cluster;
  const url = apiServerUrl(cluster);
  if (p.positional[0] !== 'dump') {
    return out(
      `Kubernetes control plane is running at ${url}\nCoreDNS is running at ${url}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
    );
  }
  return out(clusterDump(cluster));
}

/** kubeadm's static control-plane pods, as `cluster-info dump` prints them (their flags carry the ranges). */
function clusterDump(cluster: Cluster): string {
  const cp = cluster.nodes.find((n) => n.role === 'control-plane') ?? cluster.nodes[0];
  const cpName = cp?.meta.name ?? 'control-plane';
  const cpIp = cp ? formatIpv4(cp.ip) : '127.0.0.1';
  const c = cluster.config;
  const pod = (name: string, command: string[]): Json => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { labels: { component: name, tier: 'control-plane' }, name: `${name}-${cpName}`, namespace: 'kube-system' },
    spec: { containers: [{ command, image: `registry.k8s.io/${name}:${c.kubernetesVersion}`, name }], hostNetwork: true, nodeName: cpName, priorityClassName: 'system-node-critical' },
    status: { hostIP: cpIp, phase: 'Running', podIP: cpIp },
  });
  const apiserver = pod('kube-apiserver', [
    'kube-apiserver',
    `--advertise-address=${cpIp}`,
    '--allow-privileged=true',
    '--authorization-mode=Node,RBAC',
    '--client-ca-file=/etc/kubernetes/pki/ca.crt',
    '--enable-admission-plugins=NodeRestriction',
    '--enable-bootstrap-token-auth=true',
    '--etcd-servers=https://127.0.0.1:2379',
    '--secure-port=6443',
    `--service-account-issuer=https://kubernetes.default.svc.${c.clusterDomain}`,
    '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
    '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
    `--service-cluster-ip-range=${c.serviceCIDR.toString()}`,
    '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
    '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
  ]);
  const kcm = pod('kube-controller-manager', [
    'kube-controller-manager',
    '--allocate-node-cidrs=true',
    '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--bind-address=127.0.0.1',
    '--client-ca-file=/etc/kubernetes/pki/ca.crt',
    `--cluster-cidr=${c.podCIDR.toString()}`,
    '--cluster-name=kubernetes',
    '--controllers=*,bootstrapsigner,tokencleaner',
    '--kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--leader-elect=true',
    `--node-cidr-mask-size=${c.nodeCIDRMaskSize}`,
    `--service-cluster-ip-range=${c.serviceCIDR.toString()}`,
    '--use-service-account-credentials=true',
  ]);
  const nodes: Json = {
    kind: 'NodeList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '1000' },
    items: cluster.nodes.map((n): Json => ({ metadata: { name: n.meta.name }, spec: n.podCIDR ? { podCIDR: n.podCIDR.toString(), podCIDRs: [n.podCIDR.toString()] } : {}, status: { addresses: [{ type: 'InternalIP', address: formatIpv4(n.ip) }, { type: 'Hostname', address: n.meta.name }] } })),
  };
  const pods: Json = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1000' }, items: [apiserver, kcm] };
  // The dump prints each list as indented JSON, one after the other, unsorted keys as the API returns them.
  return JSON.stringify(nodes, null, 4) + '\n' + JSON.stringify(pods, null, 4) + '\n';
}

function podPlace(ctx: Ctx, namespace: string, name: string, container?: string): Place | Out {
  const pod = findPod(ctx.session.cluster, namespace, name);
  if (!pod) return fail(`Error from server (NotFound): pods "${name}" not found`);
  const c = container ? pod.containers.find((x) => x.name === container) : pod.containers[0];
  if (!c) return fail(`Error from server (BadRequest): container ${container} is not valid for pod ${name}`);
  if (pod.phase !== 'Running') return fail(`error: unable to upgrade connection: container not found ("${c.name}")`);
  return { kind: 'pod', namespace, name, container: c.name, tools: toolsetOf(c.image) };
}

const SHELLS = /^(\/bin\/|\/usr\/bin\/)?(sh|bash|ash|zsh)$/;

/** Run an exec'd command in the pod (no shell unless the command is one). */
function execIn(ctx: Ctx, place: Place, command: string[], interactive: boolean): Out {
  const bin = command[0].replace(/^\/(usr\/)?s?bin\//, '');
  if (SHELLS.test(command[0]) && command.length === 1) {
    if (interactive) ctx.session.places.push(place);
    return out();
  }
  if (!commandsFor(ctx.session, place)[bin]) {
    const id = sha256Hex(`exec:${command.join(' ')}`);
    return fail(`error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": executable file not found in $PATH: unknown`);
  }
  const r = ctx.runIn(place, command.map(quote).join(' '), ctx.stdin);
  if (r.status !== 0) return { ...r, stderr: r.stderr + `command terminated with exit code ${r.status}\n` };
  return r;
}

function cmdExec(p: Parsed, ctx: Ctx): Out {
  const ns = str(p.flags.namespace) ?? 'default';
  let name = p.positional[0];
  if (!name) return fail("error: you must specify at least one command for the container");
  if (name.startsWith('pod/') || name.startsWith('po/') || name.startsWith('pods/')) name = name.split('/')[1];
  if (!p.command.length) {
    if (p.positional.length > 1) return fail(`error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples`);
    return fail('error: you must specify at least one command for the container');
  }
  const place = podPlace(ctx, ns, name, str(p.flags.container));
  if ('status' in place) return place;
  return execIn(ctx, place, p.command, p.flags.stdin === true);
}

function cmdRun(p: Parsed, ctx: Ctx): Out {
  const name = p.positional[0];
  const image = str(p.flags.image);
  const ns = str(p.flags.namespace) ?? 'default';
  if (!name) return fail("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
  if (!image) return fail('error: required flag(s) "image" not set');
  if (findPod(ctx.session.cluster, ns, name)) return fail(`Error from server (AlreadyExists): pods "${name}" already exists`);
  const labels: Record<string, string> = { run: name };
  const lf = str(p.flags.labels);
  if (lf) for (const kv of lf.split(',')) labels[kv.split('=')[0]] = kv.split('=')[1] ?? '';
  const container: Record<string, unknown> = { name, image };
  if (p.command.length) container[p.flags.command === true ? 'command' : 'args'] = p.command;
  const manifest = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [container], restartPolicy: str(p.flags.restart) ?? 'Always' },
  };
  const add = ctx.session.options.ops?.addPod?.(ctx.session.cluster, manifest);
  if (!add) return fail('error: this simulator session cannot create pods');
  if (!add.ok) return fail(add.error);
  ctx.session.cluster = add.cluster;
  const interactive = p.flags.stdin === true;
  if (!interactive) return out(`pod/${name} created\n`);
  const place: Place = { kind: 'pod', namespace: ns, name, container: name, tools: toolsetOf(image), rmOnExit: p.flags.rm === true };
  const hint = "If you don't see a command prompt, try pressing enter.\n";
  const cmd = p.command.length ? p.command : place.tools === 'debian' ? [] : ['sh'];
  if (cmd.length === 0 || (SHELLS.test(cmd[0]) && cmd.length === 1)) {
    ctx.session.places.push(place);
    return out('', hint);
  }
  const r = execIn(ctx, place, cmd, false);
  let stdout = r.stdout;
  if (place.rmOnExit) {
    const del = ctx.session.options.ops?.deletePod?.(ctx.session.cluster, ns, name);
    if (del?.ok) ctx.session.cluster = del.cluster;
    stdout += `pod "${name}" deleted\n`;
  }
  return { stdout, stderr: hint + r.stderr.replace(/command terminated with exit code \d+\n$/, ''), status: r.status };
}

function cmdDelete(p: Parsed, ctx: Ctx): Out {
  const netpol = kubectlNetpol('delete', p, ctx);
  if (netpol) return netpol;
  const ns = str(p.flags.namespace) ?? 'default';
  const file = str(p.flags.filename);
  let targets: { ns: string; name: string }[] = [];
  if (file) {
    const content = file === '-' ? ctx.stdin : ctx.session.options.readFile?.(file);
    if (content === undefined) return fail(`error: the path "${file}" does not exist`);
    for (const m of content.matchAll(/kind:\s*Pod\b[\s\S]*?metadata:\s*\n((?:[ \t]+.*\n?)*)/g)) {
      const nm = /^\s+name:\s*(\S+)/m.exec(m[1]);
      const nsm = /^\s+namespace:\s*(\S+)/m.exec(m[1]);
      if (nm) targets.push({ ns: nsm?.[1] ?? ns, name: nm[1] });
    }
  } else {
    const r = resourceArgs(p.positional);
    if ('status' in r) return r;
    if (r.kinds.some((k) => k !== 'pods')) return fail(`Error from server (Forbidden): ${r.kinds.find((k) => k !== 'pods')} is forbidden in this simulator`);
    if (!r.names.length) return fail('error: resource(s) were provided, but no name was specified');
    targets = r.names.map((name) => ({ ns, name }));
  }
  let stdout = '';
  let stderr = '';
  let status = 0;
  for (const t of targets) {
    if (!findPod(ctx.session.cluster, t.ns, t.name)) {
      stderr += `Error from server (NotFound): pods "${t.name}" not found\n`;
      status = 1;
      continue;
    }
    const del = ctx.session.options.ops?.deletePod?.(ctx.session.cluster, t.ns, t.name);
    if (!del) return fail('error: this simulator session cannot delete pods');
    if (!del.ok) {
      stderr += del.error + '\n';
      status = 1;
      continue;
    }
    ctx.session.cluster = del.cluster;
    stdout += `pod "${t.name}" deleted\n`;
  }
  return out(stdout, stderr, status);
}

function cmdApply(p: Parsed, ctx: Ctx): Out {
  const file = str(p.flags.filename);
  if (!file) return fail("error: must specify one of -f and -k\n\nSee 'kubectl apply -h' for help and examples");
  const content = file === '-' ? ctx.stdin : ctx.session.options.readFile?.(file);
  if (content === undefined) return fail(`error: the path "${file}" does not exist`);
  const apply = ctx.session.options.ops?.applyManifests?.(ctx.session.cluster, content, file);
  if (!apply) return fail('error: this simulator session cannot apply manifests');
  if (!apply.ok) return fail(apply.error);
  ctx.session.cluster = apply.cluster;
  return out(apply.results.map((r) => `${resourceName(r.kind)}/${r.name} ${r.action}\n`).join(''));
}

function cmdDebug(p: Parsed, ctx: Ctx): Out {
  const target = p.positional[0] ?? '';
  if (!target.startsWith('node/')) return fail('error: the simulator supports `kubectl debug node/NAME -it --image=IMAGE`');
  const nodeName = target.slice(5);
  const node = ctx.session.cluster.nodes.find((n) => n.meta.name === nodeName);
  if (!node) return fail(`Error from server (NotFound): nodes "${nodeName}" not found`);
  const suffix = Array.from(sha256Hex(`debug:${nodeName}:${ctx.session.history.length}`).slice(0, 5)).map((ch) => K8S_NAME_ALPHABET[parseInt(ch, 16) % K8S_NAME_ALPHABET.length]).join('');
  const podName = `node-debugger-${nodeName}-${suffix}`;
  let stdout = `Creating debugging pod ${podName} with container debugger on node ${nodeName}.\n`;
  const place: Place = { kind: 'node', node: nodeName, via: 'debug' };
  if (p.command.length) {
    const r = ctx.runIn(place, p.command.map(quote).join(' '));
    return { ...r, stdout: stdout + r.stdout };
  }
  if (p.flags.stdin === true) {
    ctx.session.places.push(place);
    return out(stdout, "If you don't see a command prompt, try pressing enter.\n");
  }
  return out(stdout);
}

const KUBECTL_HELP = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster
  set             Set specific features on objects

Basic Commands (Intermediate):
  explain         Get documentation for a resource
  get             Display one or many resources
  edit            Edit a resource on the server
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  attach          Attach to a running container
  exec            Execute a command in a container
  debug           Create debugging sessions for troubleshooting workloads and nodes

Usage:
  kubectl [flags] [options]

Use "kubectl <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

export const kubectl: Handler = (args, ctx) => {
  const verb = args.find((a) => !a.startsWith('-'));
  if (!verb) return out(KUBECTL_HELP);
  const p = parseArgs(args.slice(args.indexOf(verb) + 1));
  if (typeof p === 'string') return fail(p);
  switch (verb) {
    case 'get':
      return cmdGet(p, ctx);
    case 'logs':
      return kubectlLogs(args.slice(args.indexOf(verb) + 1), ctx);
    case 'describe':
      return cmdDescribe(p, ctx);
    case 'exec':
      return cmdExec(p, ctx);
    case 'run':
      return cmdRun(p, ctx);
    case 'delete':
      return cmdDelete(p, ctx);
    case 'apply':
    case 'create':
      return cmdApply(p, ctx);
    case 'debug':
      return cmdDebug(p, ctx);
    case 'expose':
      return cmdExpose(p.positional, p.flags, ctx);
    case 'cluster-info':
      return cmdClusterInfo(p, ctx);
    case 'version':
      return out(`Client Version: ${ctx.session.cluster.config.kubernetesVersion}\nKustomize Version: v5.4.2\nServer Version: ${ctx.session.cluster.config.kubernetesVersion}\n`);
    case 'api-resources':
      return out(
        'NAME         SHORTNAMES   APIVERSION   NAMESPACED   KIND\nnamespaces   ns           v1           false        Namespace\nnodes        no           v1           false        Node\npods         po           v1           true         Pod\n',
      );
    default:
      return fail(`error: unknown command "${verb}" for "kubectl"\nRun 'kubectl --help' for usage.`);
  }
};


/** API groups of the kinds a scenario holds: kubectl names an object `resource.group/name` (core kinds have no group). */
const KIND_GROUPS: Record<string, string> = {
  Deployment: 'apps',
  ReplicaSet: 'apps',
  DaemonSet: 'apps',
  StatefulSet: 'apps',
  NetworkPolicy: 'networking.k8s.io',
  Ingress: 'networking.k8s.io',
  IngressClass: 'networking.k8s.io',
  EndpointSlice: 'discovery.k8s.io',
  CiliumNetworkPolicy: 'cilium.io',
};

/** `deployment.apps`, `networkpolicy.networking.k8s.io`, `service` — as `kubectl apply` prints. */
export function resourceName(kind: string): string {
  const group = KIND_GROUPS[kind];
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}
