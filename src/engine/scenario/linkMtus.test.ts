import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCluster } from '../index';
import { formatScenarioError } from '../model/source';
import { createShell } from '../shell/Shell';
import { scenarioYaml } from './serialize';

/** The MTU state a scenario can carry: `spec.underlayMtu`, `spec.linkMtus`, a container's NET_ADMIN. */
const LAB = `apiVersion: podpath/v1alpha1
kind: Cluster
metadata: {name: mtu}
spec:
  cni: flannel
  underlayMtu: 1450
  nodes: [{name: control-plane, role: control-plane}, {name: worker-1}, {name: worker-2}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: worker-1
  containers: [{name: shell, image: nicolaka/netshoot, securityContext: {capabilities: {add: [NET_ADMIN]}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  nodeName: worker-2
  containers: [{name: shell, image: nicolaka/netshoot}]
`;

const load = (text: string) => {
  const r = loadCluster([{ name: 'scenario.yaml', text }]);
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return r.value;
};

describe('MTU state in the scenario', () => {
  it('underlayMtu, linkMtus and the container capability survive a round trip through the YAML', () => {
    const c = load(LAB);
    expect(c.config.underlayMtu).toBe(1450);
    const sh = createShell({ cluster: c });
    expect(sh.run('kubectl exec client -- ip link set dev eth0 mtu 1500').status).toBe(0);
    sh.run('ssh worker-1');
    expect(sh.run('ip link set cni0 mtu 1400').status).toBe(0);
    const yaml = scenarioYaml(sh.session.cluster);
    expect(yaml).toContain('underlayMtu: 1450');
    expect(yaml).toContain('NET_ADMIN');
    const back = load(yaml);
    expect(back.linkMtus).toEqual({ 'pod/default/client': { eth0: 1500 }, 'node/worker-1': { cni0: 1400 } });
    expect(back.config.underlayMtu).toBe(1450);
    expect(scenarioYaml(back)).toBe(yaml);
  });

  it("a pod without NET_ADMIN is refused by the kernel; wrong values get iproute2's and the kernel's errors", () => {
    const sh = createShell({ cluster: load(LAB) });
    const r = sh.run('kubectl exec plain -- ip link set dev eth0 mtu 1500');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('RTNETLINK answers: Operation not permitted');
    sh.run('ssh worker-1');
    expect(sh.run('ip link set dev nosuch mtu 1400').stderr).toContain('Cannot find device "nosuch"');
    expect(sh.run('ip link set dev cni0 mtu 40').stderr).toContain('Error: mtu less than device minimum.');
    expect(sh.run('ip link set dev flannel.1 mtu 1480').stderr).toContain('RTNETLINK answers: Invalid argument');
    expect(sh.session.cluster.linkMtus).toBeUndefined();
  });

  it('spec.linkMtus refuses a bad namespace or MTU with the field path', () => {
    const r = loadCluster([{ name: 's.yaml', text: LAB.replace('underlayMtu: 1450', 'linkMtus: {"worker-1": {cni0: 1400}, "node/worker-2": {cni0: 20}}') }]);
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.errors.map(formatScenarioError).join('\n');
    expect(text).toContain('spec.linkMtus.worker-1');
    expect(text).toContain('spec.linkMtus.node/worker-2.cni0');
  });

  it('the demo scenario writes neither field', () => {
    const demo = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8');
    const y = scenarioYaml(load(demo));
    expect(y).not.toContain('underlayMtu');
    expect(y).not.toContain('linkMtus');
  });
});
