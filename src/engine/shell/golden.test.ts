/**
 * Golden transcripts of the shell on the reference cluster: each file is what a terminal shows
 * (prompt, command, stdout then stderr). Regenerate with `npx vitest run -u src/engine/shell`
 * after checking the diff against the real tools.
 */
import { describe, expect, it } from 'vitest';
import { createShell } from './Shell';
import { fakeOps, fakeTrace, referenceCluster } from './fixture';

function transcript(lines: string[]): string {
  const sh = createShell({ cluster: referenceCluster(), trace: fakeTrace, ops: fakeOps });
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
  'pod-busybox': ['kubectl exec -it client -- sh', 'ip addr', 'ip route', 'ip link', 'ip neigh', 'hostname', 'hostname -i', 'cat /etc/hosts', 'cat /etc/resolv.conf', 'ping -c 3 10.244.2.2', 'ping -c 1 -M do -s 1500 10.244.2.2', 'ping nowhere', 'traceroute -n 10.244.2.2', 'exit'],
  'pod-netshoot': ['kubectl exec -it -n tools netshoot -- bash', 'ip a', 'ping -c 2 10.244.1.2', 'ping -c 1 -M do -s 1500 10.244.1.2', 'exit', 'kubectl exec web-7d9f8c6b4-x2p9k -- ip addr'],
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
    'PID=$(crictl inspect 01c0ffee | jq .info.pid); echo $PID',
    'nsenter -t $PID -n ip addr show eth0',
    'ip link show | grep "^5:"',
    'exit',
  ],
  'cluster-info': ['kubectl cluster-info', 'kubectl cluster-info dump | grep -m 1 service-cluster-ip-range', 'kubectl cluster-info dump | grep -m 1 cluster-cidr'],
  'run-rm': ['kubectl run dns-test --image=busybox:1.36 -it --rm -- sh', 'hostname', 'exit', 'kubectl run once --image=busybox:1.36 -it --rm --restart=Never -- cat /etc/resolv.conf', 'kubectl get pods'],
};

describe('golden transcripts', () => {
  for (const [name, lines] of Object.entries(SESSIONS)) {
    it(name, async () => {
      await expect(transcript(lines)).toMatchFileSnapshot(`__golden__/${name}.txt`);
    });
  }
});
