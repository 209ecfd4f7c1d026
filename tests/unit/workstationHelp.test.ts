import { describe, expect, it } from 'vitest';
import { loadCluster } from '../../src/engine/index';
import { engineShell } from '../../src/engine/engineShell';
import { readFileSync } from 'node:fs';

const demo = () => {
  const r = loadCluster([{ name: 'demo.yaml', text: readFileSync('src/scenarios/demo.yaml', 'utf8') }]);
  if (!r.ok) throw new Error('demo does not load');
  return r.value;
};

describe('help leads from the workstation to where the network tools are (issue 13 point 8)', () => {
  it('at the workstation: names the cluster’s pod and node and the commands that work there', () => {
    const sh = engineShell(demo(), () => undefined);
    expect(sh.run('ping -c 1 10.244.2.3')).toMatchObject({ stderr: 'sh: ping: not found\n', status: 127 });
    const help = sh.run('help').stdout;
    expect(help).toContain('kubectl exec -it client -- sh');
    expect(help).toContain('wget -qO- http://SERVICE'); // client is busybox: no curl there
    expect(help).toContain('ssh worker-1');
    // What it promises works: in the pod, ping is there; on the node, ip route.
    sh.run('kubectl exec -it client -- sh');
    expect(sh.run('ping -c 1 10.244.2.3').stdout).toContain('1 packets received');
    expect(sh.run('help').stdout).not.toContain('You are on your workstation');
    sh.run('exit');
    expect(sh.run('ssh worker-1 ip route').stdout).toContain('10.244.1.0/24 dev cni0');
  });
});
