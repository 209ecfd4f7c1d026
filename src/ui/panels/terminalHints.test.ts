import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineShell } from '../../engine/engineShell';
import { denyIngressYaml, netpolCluster } from '../../engine/policy/testkit';
import { loadCluster } from '../../engine';
import { clusterHints, greetingLine, workstationHint } from './terminalHints';
import { unenforcedPolicyHint } from './policyHint';

/** A built-in scenario (src/scenarios) or an example of the Examples menu (public/examples). */
const load = (file: string) => {
  const url = file.startsWith('examples/') ? new URL(`../../../public/${file}`, import.meta.url) : new URL(`../../scenarios/${file}`, import.meta.url);
  const r = loadCluster([{ name: file, text: readFileSync(url, 'utf8') }]);
  if (!r.ok) throw new Error(`${file} did not load`);
  return r.value;
};
const EXAMPLES = readdirSync(new URL('../../../public/examples', import.meta.url)).filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`);

describe('workstationHint', () => {
  it('says where a network tool runs when the workstation shell does not have it', () => {
    const demo = load('demo.yaml');
    const h = clusterHints(demo);
    expect(workstationHint(true, 'sh: ping: not found\n', demo)).toBe(
      `podpath: ping is not on your workstation; it runs in a pod (kubectl exec -it ${h.pod} -- sh) or on a node (ssh ${h.node}). Type help for more.`,
    );
    expect(workstationHint(true, 'curl: (6) Could not resolve host: web\n', demo)).toContain('web is a name inside the cluster');
  });
  it('adds nothing inside a pod or node, nor for other errors', () => {
    const demo = load('demo.yaml');
    expect(workstationHint(false, 'sh: ping: not found\n', demo)).toBeUndefined();
    expect(workstationHint(true, 'sh: foo: not found\n', demo)).toBeUndefined();
    expect(workstationHint(true, 'Error from server (NotFound): pods "x" not found\n', demo)).toBeUndefined();
  });
  it('names a real pod (with -n outside default) and node on every example, never POD or NODE', () => {
    for (const file of ['demo.yaml', ...EXAMPLES]) {
      const c = load(file);
      const h = clusterHints(c);
      for (const stderr of ['sh: ping: not found\n', 'curl: (6) Could not resolve host: web\n']) {
        const hint = workstationHint(true, stderr, c) ?? '';
        expect(hint, file).not.toMatch(/\bPOD\b|\bNODE\b/);
        expect(hint, file).toContain(h.namespace === 'default' ? `kubectl exec -it ${h.pod} -- sh` : `kubectl exec -it -n ${h.namespace} ${h.pod} -- sh`);
        expect(c.pods.get(`${h.namespace}/${h.pod}`)?.attachment, `${file}: pod ${h.namespace}/${h.pod}`).toBeTruthy();
      }
      expect(workstationHint(true, 'sh: ping: not found\n', c), file).toContain(`ssh ${h.node}`);
    }
  });
  it('on policy-lab (no pod in default) names its namespaced pod', () => {
    const hint = workstationHint(true, 'sh: ping: not found\n', load('examples/policy-lab.yaml')) ?? '';
    expect(hint).toMatch(/kubectl exec -it -n \S+ \S+ -- sh/);
  });
});

describe('unenforcedPolicyHint', () => {
  it('a policy created in the terminal under flannel: says it is stored but not enforced; under calico, nothing', () => {
    for (const cni of ['flannel', 'calico'] as const) {
      const shell = engineShell(netpolCluster(cni));
      const before = shell.cluster;
      // Typed line by line, as in the terminal: a here-document into kubectl apply.
      let r = shell.run('cat <<EOF | kubectl apply -f -');
      for (const line of `${denyIngressYaml('x', 'deny-c', 'c')}\nEOF`.split('\n')) r = shell.run(line);
      expect(r.stdout).toBe('networkpolicy.networking.k8s.io/deny-c created\n');
      const hint = unenforcedPolicyHint(before, shell.cluster);
      if (cni === 'flannel') expect(hint).toBe('podpath: NetworkPolicy deny-c is stored, but flannel does not enforce NetworkPolicy: all traffic still flows. Set the CNI to calico, cilium or weave (Edit tab) to enforce it.');
      else expect(hint).toBeUndefined();
      // Another command that changes the cluster but no policy: nothing.
      const mid = shell.cluster;
      shell.run('kubectl run extra --image=busybox');
      expect(unenforcedPolicyHint(mid, shell.cluster)).toBeUndefined();
    }
  });
});

describe('the hints follow the cluster shown', () => {
  it('name a pod, a node and a Service each example has', () => {
    for (const file of ['demo.yaml', 'gke.yaml', 'azure-cni.yaml', 'services.yaml', ...EXAMPLES]) {
      const c = load(file);
      const h = clusterHints(c);
      expect(c.pods.get(`${h.namespace}/${h.pod}`)?.attachment, `${file}: pod ${h.namespace}/${h.pod}`).toBeTruthy();
      expect(c.nodes.some((n) => n.meta.name === h.node), `${file}: node ${h.node}`).toBe(true);
      if (h.service) expect(c.objects.has(`Service/${h.namespace}/${h.service}`), `${file}: service ${h.service}`).toBe(true);
      const line = greetingLine(c, true);
      expect(line).toContain(h.namespace === 'default' ? `kubectl exec -it ${h.pod} -- sh` : `kubectl exec -it -n ${h.namespace} ${h.pod} -- sh`);
      expect(line).toContain(`ssh ${h.node}`);
      expect(line).toContain(`Now on cluster ${c.config.name}`);
    }
  });
  it('the GKE example is not greeted with the demo’s worker-1', () => {
    const demo = clusterHints(load('demo.yaml'));
    const gke = clusterHints(load('examples/gke-dataplane-v2.yaml'));
    expect(demo.node).toBe('worker-1');
    expect(gke.node).not.toBe('worker-1');
    expect(gke.key).not.toBe(demo.key);
    expect(greetingLine(load('examples/gke-dataplane-v2.yaml'), true)).not.toContain('worker-1');
  });
});
