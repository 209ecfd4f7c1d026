/**
 * What each place offers: its prompt, its commands, and how its shell says a command is
 * missing. The host (the user's workstation) has kubectl, ssh and minikube; a node has
 * iproute2, bridge, crictl, nsenter; a pod has what its image ships (busybox applets, or a bare
 * Debian without iproute2/ping, or a tool image such as netshoot with everything).
 */
import * as core from './coreutils';
import { grep } from './grep';
import { kubectl } from './kubectl/kubectl';
import { bridge, hostname, ip, sysctl } from './netcmds';
import { crictl, lsmod, nsenter } from './nodecmds';
import { ss } from './sockets';
import { cniAgentCommands } from './cniAgents';
import { cilium, hubble } from './policyCmds';
import { ping, traceroute } from './ping';
import { cwdOf, findPod, homeOf, isDirectory, readFileIn, resolvePath, WORKSTATION_USER } from './files';
import { NODE_NETFILTER_COMMANDS, podNetfilterCommands } from './netfilterCmds';
import { dnsCommandsFor } from './dnsCmds';
import { httpCommandsFor } from './httpCmds';
import { fail, out, text, type Handler, type Place, type Session } from './types';
import { placesToGo, toolsetOf } from './placesToGo';

export { placesToGo, toolsetOf };

export function promptOf(session: Session, place: Place): string {
  switch (place.kind) {
    case 'host':
      return '$ ';
    case 'pod': {
      if (place.tools === 'busybox') return '/ # ';
      const pod = findPod(session.cluster, place.namespace, place.name);
      return `root@${pod?.hostNetwork ? pod.nodeName : pod?.hostname ?? place.name}:/# `;
    }
    case 'node':
      return place.via === 'minikube' ? `docker@${place.node}:~$ ` : place.via === 'debug' ? `root@${place.node}:/# ` : `root@${place.node}:~# `;
    case 'netns':
      return `root@${place.node}:~# `;
  }
}

/** The missing-command message of the place's shell (busybox ash, bash), status 127. */
/** The workstation and BusyBox images run ash (`sh`); nodes and other images bash. */
const runsAsh = (place: Place) => place.kind === 'host' || (place.kind === 'pod' && place.tools === 'busybox');

export function notFound(place: Place, name: string): ReturnType<Handler> {
  if (runsAsh(place)) return fail(`sh: ${name}: not found`, 127);
  return fail(`bash: ${name}: command not found`, 127);
}

/**
 * `cd [DIR]`: moves the place's working directory (relative paths, `ls`, `pwd`, $PWD follow it);
 * no operand (or `~`) is $HOME, `-` the previous directory (printed, as both shells do). A
 * missing directory or a file is refused with the shell's own words: bash's builtin
 * (`bash: cd: DIR: No such file or directory`, status 1; `too many arguments`; `OLDPWD not set`)
 * and BusyBox ash's cdcmd (ash_msg_and_raise_perror "can't cd to %s": `sh: cd: can't cd to DIR:
 * No such file or directory`, status 2, as an interactive shell prints it).
 */
const cd: Handler = (args, ctx) => {
  const place = ctx.place;
  const ash = runsAsh(place);
  const operands = args.filter((a) => a !== '-L' && a !== '-P' && a !== '--');
  if (operands.length > 1 && !ash) return fail('bash: cd: too many arguments');
  let target = operands[0];
  let print = false;
  if (target === undefined || target === '~') {
    // $HOME, as Shell.ts varValue gives it.
    target = place.kind === 'pod' ? '/root' : homeOf(place) === '/' ? '/root' : homeOf(place);
  } else if (target === '-') {
    if (place.oldCwd === undefined) return ash ? out() : fail('bash: cd: OLDPWD not set');
    target = place.oldCwd;
    print = true;
  }
  const dir = resolvePath(place, target);
  if (!isDirectory(ctx.session, place, dir)) {
    const why = readFileIn(ctx.session, place, dir) !== undefined ? 'Not a directory' : 'No such file or directory';
    return ash ? fail(`sh: cd: can't cd to ${target}: ${why}`, 2) : fail(`bash: cd: ${target}: ${why}`, 1);
  }
  place.oldCwd = cwdOf(place);
  place.cwd = dir;
  return out(print ? `${dir}\n` : '');
};

const HELP = `podpath shell: a simulated Kubernetes cluster. Commands by place:
  workstation   kubectl get|describe|create|run|exec|apply|delete|expose|logs|label|annotate|scale|rollout|
                cordon|uncordon|drain|wait|port-forward|explain|debug|top|cluster-info, ssh NODE, minikube ssh [-n NODE]
  node          ip addr|link|route|neigh|rule, ip link set DEV mtu N, bridge link|fdb, ss -tlnp, crictl ps|pods|inspect, nsenter -t PID -n CMD, lsmod,
                ls/cat /etc/cni/net.d/, ls /opt/cni/bin/, cat /run/flannel/subnet.env, sysctl, ping, traceroute
  pod           ip addr|route|link|neigh, ping [-c N] [-s SIZE] [-M do] HOST, traceroute -n HOST, hostname [-i],
                cat /etc/hosts, cat /etc/resolv.conf, nslookup, dig, host, getent hosts (by image),
                curl, wget -qO- URL, nc -zv HOST PORT
  everywhere    echo, grep, head, tail, wc, cut, sort, uniq, history, clear, exit; pipes |, ; and &&
`;

/**
 * Where the network tools are, for `help` at the workstation prompt (issue 13 point 8): the
 * workstation has kubectl and ssh only (as a laptop with a kubeconfig), so ping, traceroute,
 * nslookup and in-cluster curl start from a pod or a node. Names the cluster's own pod and node.
 */
export function whereToGo(cluster: Session['cluster']): string {
  const { pod, node } = placesToGo(cluster);
  const lines = ['You are on your workstation: it has kubectl and ssh. ping, traceroute, nslookup and curl to in-cluster names run in a pod or on a node:'];
  if (pod) {
    // busybox has wget, not curl; a Debian-based image has neither ping nor ip (toolsetOf).
    const tools = toolsetOf(pod.containers[0]?.image ?? '');
    const web = tools === 'busybox' ? 'ping POD-IP, traceroute -n POD-IP, nslookup SERVICE, wget -qO- http://SERVICE' : tools === 'debian' ? 'curl http://SERVICE, getent hosts SERVICE' : 'ping POD-IP, traceroute -n POD-IP, nslookup SERVICE, curl http://SERVICE';
    lines.push(`  kubectl exec -it ${pod.meta.name} -- sh      then: ${web} (exit comes back)`);
  }
  if (node) lines.push(`  ssh ${node.meta.name}      then: ip route, ip neigh, bridge fdb, iptables-save, ping, traceroute (exit comes back)`);
  return lines.join('\n');
}

const builtins: Record<string, Handler> = {
  echo: core.echo,
  true: core.trueCmd,
  false: core.falseCmd,
  sleep: core.sleep,
  grep,
  egrep: (a, c) => grep(['-E', ...a], c),
  head: core.head,
  tail: core.tail,
  wc: core.wc,
  cut: core.cut,
  sort: core.sort,
  uniq: core.uniq,
  tr: core.tr,
  cat: core.cat,
  ls: core.ls,
  clear: (_a, ctx) => {
    ctx.session.cleared = true;
    return out();
  },
  help: (_a, ctx) => out(ctx.place.kind === 'host' ? `${whereToGo(ctx.session.cluster)}\n${HELP}` : HELP),
  history: (_a, ctx) => text(ctx.session.history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}`)),
  exit: (args, ctx) => exitPlace(ctx.session, args, ctx.place),
  logout: (args, ctx) => exitPlace(ctx.session, args, ctx.place),
  cd,
  pwd: (_a, ctx) => out(cwdOf(ctx.place) + '\n'),
  export: (args, ctx) => {
    for (const a of args) {
      const eq = a.indexOf('=');
      if (eq > 0) ctx.session.env[a.slice(0, eq)] = a.slice(eq + 1);
    }
    return out();
  },
  whoami: (_a, ctx) => out(ctx.place.kind === 'node' && ctx.place.via === 'minikube' ? 'docker\n' : ctx.place.kind === 'host' ? `${WORKSTATION_USER}\n` : 'root\n'),
};

/** `sh -c 'LINE'` / `bash -c`: run LINE here; a bare `sh` in a non-interactive context does nothing. */
const shellCmd: Handler = (args, ctx) => {
  const c = args.indexOf('-c');
  // A child shell: it starts in this one's directory, and its `cd` does not move this one.
  if (c >= 0 && args[c + 1] !== undefined) return ctx.runIn({ ...ctx.place }, args[c + 1], ctx.stdin);
  if (ctx.stdin) return ctx.runIn({ ...ctx.place }, ctx.stdin.split('\n').join('; ').replace(/;\s*$/, ''));
  return out();
};

const sudo: Handler = (args, ctx) => {
  const rest = args.filter((a, i) => !(a.startsWith('-') && i === 0));
  if (!rest.length) return fail('usage: sudo -h | -K | -k | -V');
  return ctx.runIn(ctx.place, rest.map(quote).join(' '), ctx.stdin);
};

export function quote(a: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/**
 * `exit [N]`: leave the innermost place (the host is never left) with status N & 255 (default 0).
 * BusyBox ash (the workstation's and busybox images' sh) accepts only digits and otherwise stays,
 * with `sh: exit: Illegal number: X`, status 2; bash prints `bash: exit: X: numeric argument
 * required` and exits with status 2 (builtins/exit.def, EX_BADUSAGE).
 */
export function exitPlace(session: Session, args: string[], place: Place = session.places[session.places.length - 1]): ReturnType<Handler> {
  const arg = args[0];
  const ash = place.kind === 'host' || (place.kind === 'pod' && place.tools === 'busybox');
  let status = 0;
  let complaint = '';
  if (arg !== undefined) {
    if (ash ? /^\d+$/.test(arg) : /^\s*[-+]?\d+\s*$/.test(arg)) status = Number(((BigInt(arg.trim()) % 256n) + 256n) % 256n);
    else if (ash) return fail(`sh: exit: Illegal number: ${arg}`, 2);
    else {
      complaint = `bash: exit: ${arg}: numeric argument required\n`;
      status = 2;
    }
  }
  const left = leave(session, status);
  return { ...left, stderr: complaint + left.stderr };
}

function leave(session: Session, status: number): ReturnType<Handler> {
  if (session.places.length <= 1) return out('', '', status);
  const place = session.places.pop()!;
  if (place.kind === 'pod' && place.rmOnExit) {
    const del = session.options.ops?.deletePod?.(session.cluster, place.namespace, place.name);
    if (del && del.ok) session.cluster = del.cluster;
    return out(`pod "${place.name}" deleted\n`, '', status);
  }
  if (place.kind === 'node' && place.via === 'ssh') {
    const node = session.cluster.nodes.find((n) => n.meta.name === place.node);
    return out('logout\n', `Connection to ${node ? formatNodeIp(node.ip) : place.node} closed.\n`, status);
  }
  if (place.kind === 'node' && place.via === 'minikube') return out('logout\n', '', status);
  return out('', '', status);
}

function formatNodeIp(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

const ssh: Handler = (args, ctx) => {
  const target = args.filter((a) => !a.startsWith('-'))[0];
  if (!target) return fail('usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]\n           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n           destination [command [argument ...]]', 255);
  const host = target.includes('@') ? target.split('@')[1] : target;
  const node = ctx.session.cluster.nodes.find((n) => n.meta.name === host || formatNodeIp(n.ip) === host);
  if (!node) return fail(`ssh: Could not resolve hostname ${host}: Name or service not known`, 255);
  const place: Place = { kind: 'node', node: node.meta.name, via: 'ssh' };
  const cmdIdx = args.indexOf(target) + 1;
  if (cmdIdx < args.length) return ctx.runIn(place, args.slice(cmdIdx).join(' '));
  ctx.session.places.push(place);
  return out();
};

const minikube: Handler = (args, ctx) => {
  if (args[0] !== 'ssh') return fail(`Error: unknown command "${args[0] ?? ''}" for "minikube"\nRun 'minikube --help' for usage.`, 1);
  let nodeName = ctx.session.cluster.nodes[0]?.meta.name;
  const rest: string[] = [];
  for (let i = 1; i < args.length; i++) {
    if (args[i] === '-n' || args[i] === '--node') nodeName = args[++i];
    else if (args[i].startsWith('--node=')) nodeName = args[i].slice(7);
    else if (args[i] === '--') continue;
    else rest.push(args[i]);
  }
  const node = ctx.session.cluster.nodes.find((n) => n.meta.name === nodeName);
  if (!node) return fail(`\n❌  Exiting due to GUEST_NODE_RETRIEVE: retrieving node: Could not find node ${nodeName}\n`, 85);
  const place: Place = { kind: 'node', node: node.meta.name, via: 'minikube' };
  if (rest.length) return ctx.runIn(place, rest.join(' '));
  ctx.session.places.push(place);
  return out();
};

const netTools: Record<string, Handler> = { ip, ping, traceroute, hostname };

export function commandsFor(_session: Session, place: Place): Record<string, Handler> {
  switch (place.kind) {
    case 'host':
      // curl on the workstation reaches LoadBalancer IPs, NodePorts and Ingresses as the external client.
      return { ...builtins, kubectl, k: kubectl, ssh, minikube, sh: shellCmd, bash: shellCmd, jq: core.jq, hubble, curl: httpCommandsFor(place).curl };
    case 'node':
    case 'netns':
      return { ...builtins, ...netTools, ...dnsCommandsFor('node'), ...httpCommandsFor(place), bridge, sysctl, crictl, nsenter, lsmod, ss, sh: shellCmd, bash: shellCmd, sudo, jq: core.jq, ...NODE_NETFILTER_COMMANDS, cilium, 'cilium-dbg': cilium, hubble };
    case 'pod': {
      const net = { ...dnsCommandsFor(place.tools), ...httpCommandsFor(place, _session) };
      if (place.tools === 'busybox') return { ...builtins, ...netTools, ...net, sysctl, sh: shellCmd, ash: shellCmd };
      if (place.tools === 'debian') return { ...builtins, ...net, hostname, sh: shellCmd, bash: shellCmd };
      const pod = findPod(_session.cluster, place.namespace, place.name);
      const image = pod?.containers.find((c) => c.name === place.container)?.image ?? pod?.containers[0]?.image ?? '';
      return { ...builtins, ...netTools, ...net, sysctl, bridge, ss, sh: shellCmd, bash: shellCmd, jq: core.jq, ...podNetfilterCommands(image), ...cniAgentCommands(image) };
    }
  }
}
