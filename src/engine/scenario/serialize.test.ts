import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import { loadCluster } from '../index';
import { CNI_MODES, type Cluster } from '../model/cluster';
import * as commands from '../controllers/commands';
import { formatScenarioError, type Result } from '../model/source';
import { scenarioYaml } from './serialize';

const demo = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8');
/** The demo under another CNI (GKE Dataplane V2 runs no kube-proxy: its document says none). */
const withCni = (mode: string) => demo.replace('cni: flannel', `cni: ${mode}`).replace('kubeProxy: iptables', mode === 'gke-dataplane-v2' ? 'kubeProxy: none' : 'kubeProxy: iptables');

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return r.value;
}

const load = (text: string) => must(loadCluster([{ name: 'scenario.yaml', text }]));

/**
 * Every pod on the pod network with its node, address and labels (sorted: the loader creates
 * written pods after the system's); host-network system pods by the workload they belong to and
 * their node (their generated names are not written, so they may differ).
 */
function shape(c: Cluster) {
  const pods = [...c.pods.values()]
    .map((p) =>
      p.attachment
        ? `${p.meta.namespace}/${p.meta.name}@${p.nodeName}=${formatIpv4(p.attachment.ip)}:${JSON.stringify(p.meta.labels)}`
        : `${p.meta.namespace}/${p.meta.ownerReferences?.[0]?.name ?? p.meta.name}@${p.nodeName}=host`,
    )
    .sort();
  const nodes = c.nodes.map((n) => `${n.meta.name}:${formatIpv4(n.ip)}:${n.podCIDR?.toString() ?? '-'}:${n.blocks.join(',')}:${JSON.stringify(n.meta.labels)}`);
  return { config: { ...c.config, podCIDR: String(c.config.podCIDR), serviceCIDR: String(c.config.serviceCIDR), nodeNetwork: String(c.config.nodeNetwork) }, nodes, pods, workloads: [...c.workloads.keys()].sort(), objects: [...c.objects.keys()].sort() };
}

const userPods = (c: Cluster) => shape(c).pods.filter((p) => p.startsWith('default/') || p.startsWith('shop/'));

describe('scenarioYaml', () => {
  it('round-trips the demo cluster exactly', () => {
    const c = load(demo);
    const again = load(scenarioYaml(c));
    expect(shape(again)).toEqual(shape(c));
    expect(scenarioYaml(again)).toBe(scenarioYaml(c));
  });

  it('is deterministic and leaves the system objects out', () => {
    const text = scenarioYaml(load(demo));
    expect(text).toBe(scenarioYaml(load(demo)));
    expect(text).not.toMatch(/kube-proxy|kube-flannel|etcd-/);
    expect(text).toMatch(/podIP: 10\.244\.\d+\.\d+/);
  });

  it.each(CNI_MODES)('keeps pods, nodes and addresses after edits under %s', (mode) => {
    let c = load(withCni(mode));
    c = must(commands.addPod(c, { metadata: { name: 'extra', labels: { app: 'extra' } }, spec: { nodeName: 'worker-2', containers: [{ name: 'c', image: 'busybox' }] } }));
    const web = [...c.pods.values()].find((p) => p.meta.name.startsWith('web-') && p.nodeName === 'worker-1')!;
    c = must(commands.movePod(c, 'default', web.meta.name, 'worker-2'));
    c = must(commands.scaleWorkload(c, 'default', 'web', 4));
    c = must(commands.setLabels(c, 'pod', 'default', 'client', { app: 'client', tier: 'test' }));
    c = must(commands.deletePod(c, 'default', 'extra'));
    const again = load(scenarioYaml(c));
    expect(userPods(again)).toEqual(userPods(c));
    expect(shape(again).nodes).toEqual(shape(c).nodes);
    expect(shape(again).config).toEqual(shape(c).config);
  });

  it.each(CNI_MODES)('an edit renames or moves nothing it did not touch, across a reload (%s)', (mode) => {
    // issue 13.7: generated names came from one shared random stream, so CoreDNS pods written
    // into the YAML (not expanded again on reload) shifted every DaemonSet pod's name.
    const names = (c: Cluster) => [...c.pods.values()].map((p) => `${p.meta.namespace}/${p.meta.name}@${p.nodeName}`).sort();
    const fresh = load(withCni(mode));
    const edited = must(commands.addPod(fresh, { metadata: { name: 'extra' }, spec: { nodeName: 'worker-2', containers: [{ name: 'c', image: 'busybox' }] } }));
    expect(names(edited)).toEqual([...names(fresh), 'default/extra@worker-2'].sort());
    const reloaded = load(scenarioYaml(edited));
    expect(names(reloaded)).toEqual(names(edited));
    // The same YAML gives the same names whatever else it holds: the demo without its client pod.
    const without = load(withCni(mode).replace(/---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: client[\s\S]*?(?=---)/, ''));
    expect(names(without)).toEqual(names(fresh).filter((n) => !n.startsWith('default/client@')));
  });

  it.each(CNI_MODES)('a CNI switch, a node added, a pod deleted: a reload renames and moves nothing (%s)', (mode) => {
    const names = (c: Cluster) => [...c.pods.values()].map((p) => `${p.meta.namespace}/${p.meta.name}@${p.nodeName}`).sort();
    const fresh = load(withCni(mode));
    const other = mode === 'calico' ? 'cilium' : 'calico';
    const edits: [string, Cluster][] = [
      ['switch the CNI', must(commands.setCni(fresh, other))],
      ['add a node', must(commands.addNode(fresh, { name: 'worker-3' }))],
      ['delete a pod', must(commands.deletePod(fresh, 'default', 'client'))],
    ];
    for (const [what, edited] of edits) expect(names(load(scenarioYaml(edited))), `${mode}: ${what}`).toEqual(names(edited));
  });

  it('writes Node manifests when a node has labels of its own, and keeps them', () => {
    let c = load(demo);
    c = must(commands.setLabels(c, 'node', '', 'worker-1', { ...c.nodes[1].meta.labels, zone: 'a' }));
    const text = scenarioYaml(c);
    expect(text).toMatch(/kind: Node\b/);
    const again = load(text);
    expect(shape(again).nodes).toEqual(shape(c).nodes);
    expect(userPods(again)).toEqual(userPods(c));
  });

  it('keeps added nodes and namespaces', () => {
    let c = load(demo);
    c = must(commands.addNode(c, { name: 'worker-3' }));
    const applied = must(commands.applyManifests(c, [{ name: 'x.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: cart, namespace: shop}\nspec: {containers: [{name: c, image: nginx}]}\n' }]));
    c = applied.cluster;
    const again = load(scenarioYaml(c));
    expect(shape(again).nodes).toEqual(shape(c).nodes);
    expect(userPods(again)).toEqual(userPods(c));
    expect([...again.namespaces.keys()]).toContain('shop');
  });

  it('writes creationTimestamp as RFC 3339 (kubectl apply refuses "306"), and a reload keeps time and uid', () => {
    const c = must(commands.addPod(load(demo), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }));
    const pod = c.pods.get('default/probe')!;
    expect(pod.meta.creationTimestamp).toMatch(/^\d+$/); // seconds since the simulated epoch, in the engine
    const text = scenarioYaml(c);
    const stamps = [...text.matchAll(/creationTimestamp: (.*)/g)].map((m) => m[1]);
    expect(stamps.length).toBeGreaterThan(0);
    for (const t of stamps) expect(t).toMatch(/^['"]?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z['"]?$/);
    const again = load(text);
    const back = again.pods.get('default/probe')!;
    expect(Date.parse(back.meta.creationTimestamp)).toBe(Date.UTC(2024, 0, 1) + Number(pod.meta.creationTimestamp) * 1000);
    expect(back.meta.uid).toBe(pod.meta.uid);
    expect(scenarioYaml(again)).toBe(text);
  });

  it('keeps what sysctl -w changed on a node (spec.nodeSysctls), and a reload gives the same settings', () => {
    const c = load(demo);
    const changed: Cluster = {
      ...c,
      nodeSysctls: { 'worker-2': { 'net.bridge.bridge-nf-call-iptables': '0' }, 'worker-1': { '/sys/class/net/cni0/brport/hairpin_mode': '1' }, 'control-plane': {} },
    };
    const text = scenarioYaml(changed);
    expect(text).toContain('nodeSysctls:');
    expect(text).not.toMatch(/control-plane: \{\}/); // a node with nothing changed is not written
    const again = load(text);
    expect(again.nodeSysctls).toEqual({ 'worker-2': { 'net.bridge.bridge-nf-call-iptables': '0' }, 'worker-1': { '/sys/class/net/cni0/brport/hairpin_mode': '1' } });
    expect(scenarioYaml(again)).toBe(text);
    expect(scenarioYaml(c)).not.toContain('nodeSysctls'); // nothing changed: nothing written
  });

  it('refuses spec.nodeSysctls naming an unknown node or a key that is no sysctl, and reads a YAML number as its text', () => {
    const withSysctls = (body: string) => demo.replace(/^(kind: Cluster\n(?:.*\n)*?spec:\n)/m, `$1  nodeSysctls:\n${body}`);
    const bad = loadCluster([{ name: 'scenario.yaml', text: withSysctls('    worker-9:\n      net.ipv4.ip_forward: "1"\n    worker-1:\n      "bad key": "0"\n') }]);
    expect(bad.ok).toBe(false);
    const messages = bad.ok ? '' : bad.errors.map(formatScenarioError).join('\n');
    expect(messages).toMatch(/spec\.nodeSysctls\.worker-9.*nodes? "worker-9" not found/i);
    expect(messages).toMatch(/spec\.nodeSysctls\.worker-1\.bad key.*must be a sysctl key/);
    const good = load(withSysctls('    worker-1:\n      net.bridge.bridge-nf-call-iptables: 0\n'));
    expect(good.nodeSysctls).toEqual({ 'worker-1': { 'net.bridge.bridge-nf-call-iptables': '0' } });
  });
});
