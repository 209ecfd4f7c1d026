/**
 * Golden transcripts of the node and CNI-agent tools on the reference cluster (__golden__/reference.yaml)
 * under each CNI: `kubectl debug node/X` then `nsenter -t 1 -n -- ss -tlnp`, crictl inspect's pid,
 * calico-node's readiness and BIRD's sessions and routes, the Cilium agent's status and lists.
 * The assertions name what must follow from the engine's state; regenerate the files with
 * `npx vitest run -u src/engine/shell` after checking the diff against the real tools.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { setCni } from '../controllers/commands';
import { engineShell } from '../engineShell';
import { loadCluster, type CniMode } from '../index';
import { formatIpv4 } from '../addressing/ipv4';

const REFERENCE = { name: 'reference.yaml', text: readFileSync(new URL('./__golden__/reference.yaml', import.meta.url), 'utf8') };

function shellFor(cni?: CniMode) {
  const loaded = loadCluster([REFERENCE]);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const c = cni ? setCni(loaded.value, cni) : loaded;
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return engineShell(c.value);
}

function transcript(sh: ReturnType<typeof shellFor>, lines: string[]): string {
  let t = '';
  for (const line of lines) {
    const prompt = sh.prompt;
    const r = sh.run(line);
    t += `${prompt}${line}\n${r.stdout}${r.stderr}${r.status ? `[exit ${r.status}]\n` : ''}`;
  }
  return t;
}

describe('node sockets', () => {
  it('lists what listens on a node from what runs there', async () => {
    const sh = shellFor();
    const t = transcript(sh, [
      'kubectl debug node/worker-1 -it --image=busybox',
      'nsenter -t 1 -n -- ss -tlnp',
      'exit',
      'ssh control-plane',
      'ss -tlnp | grep -e kube -e etcd',
      "crictl inspect $(crictl ps --name kube-proxy -q) | grep -m1 '\"pid\"'",
      'exit',
      'kubectl -n kube-system exec -it $(kubectl -n kube-system get pods -l k8s-app=kube-dns -o name | head -n 1) -- ss -tlnp',
    ]);
    await expect(t).toMatchFileSnapshot('./__golden__/node-sockets.txt');
    expect(t).toContain('*:10250 ');
    expect(t).toContain('127.0.0.1:10249 ');
    expect(t).toContain('*:6443 ');
  });
});

describe('calico-node and BIRD', () => {
  it('reports BGP sessions to every other node and the routes of the node table', async () => {
    const sh = shellFor('calico-ipip');
    const node = sh.cluster.nodes[1];
    const pod = [...sh.cluster.pods.values()].find((p) => p.meta.labels['k8s-app'] === 'calico-node' && p.nodeName === node.meta.name)!;
    const t = transcript(sh, [
      `kubectl exec -n calico-system ${pod.meta.name} -- calico-node -bird-ready`,
      `kubectl exec -n calico-system ${pod.meta.name} -- birdcl show protocols`,
      `kubectl exec -n calico-system ${pod.meta.name} -- birdcl show route`,
      `ssh ${node.meta.name}`,
      'ip route',
      'exit',
    ]);
    await expect(t).toMatchFileSnapshot('./__golden__/calico-bird.txt');
    for (const peer of sh.cluster.nodes.filter((n) => n !== node)) expect(t).toContain(`Mesh_${formatIpv4(peer.ip).replace(/\./g, '_')} BGP      master   up`);
    const vx = shellFor('calico-vxlan');
    const vxPod = [...vx.cluster.pods.values()].find((p) => p.meta.labels['k8s-app'] === 'calico-node')!;
    expect(vx.run(`kubectl exec -n calico-system ${vxPod.meta.name} -- calico-node -bird-ready`)).toMatchObject({ status: 1 });
  });
});

describe('the Cilium agent', () => {
  it('answers cilium status, endpoint list and service list from kubectl exec ds/cilium', async () => {
    const sh = shellFor('cilium');
    const t = transcript(sh, ['kubectl -n kube-system exec ds/cilium -- cilium status', 'kubectl -n kube-system exec ds/cilium -- cilium-dbg endpoint list', 'kubectl -n kube-system exec ds/cilium -- cilium-dbg service list']);
    await expect(t).toMatchFileSnapshot('./__golden__/cilium-agent.txt');
    expect(t).toContain('Routing:                 Network: Tunnel [vxlan]   Host: Legacy');
  });
});
