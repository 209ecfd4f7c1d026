/**
 * Golden transcripts of the shell on the reference cluster (__golden__/reference.yaml), run
 * through the whole engine: loader, allocators, CNI plumbing, tracer and commands. Each file is
 * what a terminal shows (prompt, command, stdout then stderr). Regenerate with
 * `npx vitest run -u src/engine/shell` after checking the diff against the real tools.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineShell } from '../engineShell';
import { loadCluster, type CniMode } from '../index';
import { setCni } from '../controllers/commands';

const REFERENCE = { name: 'reference.yaml', text: readFileSync(new URL('./__golden__/reference.yaml', import.meta.url), 'utf8') };

function transcript(lines: string[], cni?: CniMode): string {
  const loaded = loadCluster([REFERENCE]);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const cluster = cni ? setCni(loaded.value, cni) : loaded;
  if (!cluster.ok) throw new Error(JSON.stringify(cluster.errors));
  const sh = engineShell(cluster.value);
  let t = '';
  for (const line of lines) {
    const prompt = sh.prompt;
    const r = sh.run(line);
    t += `${prompt}${line}\n${r.stdout}${r.stderr}`;
    if (r.status !== 0) t += `[exit ${r.status}]\n`;
  }
  return t;
}

const SESSIONS: Record<string, string[]> = {
  'kubectl-get': [
    'kubectl get nodes',
    'kubectl get nodes -o wide',
    'kubectl get pods -o wide',
    'kubectl get pods -A',
    'kubectl get pods --show-labels -l app=web',
    'kubectl get ns',
    'kubectl get nodes,pods',
    'kubectl get nodes -o jsonpath=\'{range .items[*]}{.metadata.name}{"\\t"}{.spec.podCIDR}{"\\n"}{end}\'',
    'kubectl get pod client -o yaml',
    'kubectl get node worker-1 -o json | head -n 12',
    'kubectl get svcs',
  ],
  'kubectl-describe': ['kubectl describe pod client', 'kubectl describe node worker-1', 'kubectl describe node worker-1 | grep PodCIDR'],
  'pod-busybox': ['kubectl exec -it client -- sh', 'ip addr', 'ip route', 'ip link', 'ip neigh', 'hostname', 'hostname -i', 'cat /etc/hosts', 'cat /etc/resolv.conf', 'ping -c 3 10.244.2.3', 'ping -c 1 -s 1500 10.244.2.3', 'ping nowhere', 'traceroute -n 10.244.2.3', 'exit'],
  'pod-netshoot': ['kubectl exec -it -n tools netshoot -- bash', 'ip a', 'ip route', 'ping -c 2 10.244.1.3', 'ping -c 1 -M do -s 1422 10.244.1.3', 'ping -c 1 -M do -s 1500 10.244.1.3', 'traceroute -n 10.244.1.3', 'traceroute -n 192.168.1.10', 'exit', 'kubectl exec web-589ccc5944-qtm7m -- ip addr'],
  'node-flannel': [
    'ssh worker-1',
    'ip addr show cni0',
    'ip route',
    'ip -d link show flannel.1',
    'ip link show type bridge',
    'ip link show type veth',
    'ip neigh show dev flannel.1',
    'bridge link show',
    'bridge fdb show dev flannel.1',
    'ip route show table local',
    'ip rule',
    'ls /etc/cni/net.d/',
    'cat /etc/cni/net.d/10-flannel.conflist',
    'cat /run/flannel/subnet.env',
    'ls /opt/cni/bin/',
    'sysctl net.ipv4.ip_forward',
    'crictl ps',
    'crictl pods',
    'PID=$(crictl inspect $(crictl ps --name shell -q) | grep -m1 \'"pid"\' | tr -dc 0-9); echo $PID',
    'nsenter -t $PID -n ip addr show eth0',
    'ip link show | grep "^5:"',
    'exit',
  ],
  'cluster-info': ['kubectl cluster-info', 'kubectl cluster-info dump | grep -m 1 service-cluster-ip-range', 'kubectl cluster-info dump | grep -m 1 cluster-cidr'],
  'node-calico': ['kubectl get pods -n calico-system -o wide', 'ssh worker-1', 'ip route', 'ip addr show tunl0', 'ip link show type veth', 'ip neigh', 'exit'],
  'run-rm': ['kubectl run dns-test --image=busybox:1.36 -it --rm -- sh', 'hostname', 'exit', 'kubectl run once --image=busybox:1.36 -it --rm --restart=Never -- cat /etc/resolv.conf', 'kubectl get pods'],
};

describe('golden transcripts', () => {
  for (const [name, lines] of Object.entries(SESSIONS)) {
    it(name, async () => {
      const cni = name === 'node-calico' ? 'calico-ipip' : undefined;
      await expect(transcript(lines, cni)).toMatchFileSnapshot(`__golden__/${name}.txt`);
    });
  }
});
