import { CNI_MODES } from '../model/cluster';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIpv4 } from '../addressing/ipv4';
import { fail, type Result, type ScenarioError } from '../model/source';
import { DNS1123_LABEL_MSG, DNS1123_SUBDOMAIN_MSG } from './messages';
import { loadScenario as loadScenarioCore } from './loadScenario';
import { parseYamlFile } from './parseYaml';
import { positionErrors } from './positions';
import type { Scenario, ScenarioFile } from './types';

/** As loadCluster calls it: text parsed here, errors with their positions. */
function loadScenario(files: ScenarioFile[], options: { seed?: number } = {}): Result<Scenario> {
  const r = loadScenarioCore(files, options, parseYamlFile);
  return r.ok ? r : fail(positionErrors(files, r.errors));
}

const demoText = readFileSync(join(__dirname, '../../scenarios/demo.yaml'), 'utf8');
const dumpText = readFileSync(join(__dirname, '__fixtures__/kubectl-dump.yaml'), 'utf8');

function load(text: string, seed?: number): Scenario {
  const r = loadScenario([{ name: 's.yaml', text }], seed === undefined ? {} : { seed });
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.column} ${e.object} ${e.field} ${e.message}`).join('\n'));
  return r.value;
}

function errorsOf(text: string): ScenarioError[] {
  const r = loadScenario([{ name: 's.yaml', text }]);
  if (r.ok) throw new Error('expected the load to fail');
  return r.errors;
}

const pod = (name: string, extra = '', ns = 'default') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:${extra}\n  containers:\n  - name: c\n    image: busybox`;

describe('loadScenario: the demo', () => {
  const s = load(demoText);
  const names = s.pods.map((p) => `${p.meta.namespace}/${p.meta.name}`);

  it('creates the kubeadm system pods first, then the file objects', () => {
    expect(names.slice(0, 4)).toEqual([
      'kube-system/etcd-control-plane',
      'kube-system/kube-apiserver-control-plane',
      'kube-system/kube-controller-manager-control-plane',
      'kube-system/kube-scheduler-control-plane',
    ]);
    expect(names.filter((n) => /^kube-system\/kube-proxy-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(n))).toHaveLength(3);
    expect(names.filter((n) => /^kube-flannel\/kube-flannel-ds-[a-z0-9]{5}$/.test(n))).toHaveLength(3);
    expect(names.filter((n) => /^kube-system\/coredns-7c65d6cfc9-[a-z0-9]{5}$/.test(n))).toHaveLength(2);
    const web = names.filter((n) => /^default\/web-[4-9bcdf]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(n));
    expect(web).toHaveLength(3);
    expect(names[names.length - 1]).toBe('default/client');
    expect(s.pods).toHaveLength(4 + 3 + 2 + 3 + 3 + 1);
  });

  it('keeps static and DaemonSet pods on the host network, coredns on the pod network', () => {
    const byName = (prefix: string) => s.pods.filter((p) => p.meta.name.startsWith(prefix));
    expect(byName('etcd-').every((p) => p.hostNetwork && p.nodeName === 'control-plane')).toBe(true);
    expect(byName('kube-proxy-').every((p) => p.hostNetwork)).toBe(true);
    expect(byName('coredns-').every((p) => !p.hostNetwork && p.containers[0].image === 'registry.k8s.io/coredns/coredns:v1.11.3')).toBe(true);
    expect(byName('coredns-')[0].containers[0].ports).toEqual([
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
    ]);
  });

  it('spreads pods over the workers and keeps the control plane for what tolerates its taint', () => {
    const user = s.pods.filter((p) => p.meta.namespace === 'default');
    expect(user.every((p) => p.nodeName === 'worker-1' || p.nodeName === 'worker-2')).toBe(true);
    const web = user.filter((p) => p.meta.name.startsWith('web-'));
    expect(new Set(web.map((p) => p.nodeName)).size).toBe(2);
    expect(s.pods.filter((p) => p.meta.name.startsWith('coredns-')).map((p) => p.nodeName)).toEqual(['worker-1', 'worker-2']);
  });

  it('labels workload pods and records owners and the template hash', () => {
    const web = s.workloads.find((w) => w.meta.name === 'web')!;
    expect(web.templateHash).toMatch(/^[4-9bcdf]+$/);
    const p = s.pods.find((x) => x.meta.name.startsWith('web-'))!;
    expect(p.meta.labels).toEqual({ app: 'web', 'pod-template-hash': web.templateHash });
    expect(p.meta.name.startsWith(`web-${web.templateHash}-`)).toBe(true);
    expect(p.meta.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${web.templateHash}`, uid: expect.stringMatching(/^[0-9a-f-]{36}$/), controller: true }]);
    const kp = s.pods.find((x) => x.meta.name.startsWith('kube-proxy-'))!;
    expect(kp.meta.labels['pod-template-generation']).toBe('1');
    expect(kp.meta.labels['controller-revision-hash']).toMatch(/^[4-9bcdf]+$/);
    expect(s.workloads.map((w) => `${w.kind}/${w.meta.name}`)).toEqual(['DaemonSet/kube-proxy', 'Deployment/coredns', 'DaemonSet/kube-flannel-ds', 'Deployment/web']);
    expect(p.phase).toBe('Running');
    expect(p.ready).toBe(true);
  });

  it('gives uuid-shaped uids and creation times in seconds', () => {
    for (const p of s.pods) expect(p.meta.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(s.pods.map((p) => p.meta.uid)).size).toBe(s.pods.length);
    expect(s.pods[0].meta.creationTimestamp).toBe('0');
    expect(s.pods.find((p) => p.meta.name === 'client')!.meta.creationTimestamp).toBe('5');
    expect(s.pods.find((p) => p.meta.name.startsWith('web-'))!.meta.creationTimestamp).toBe('6');
  });

  it('adds the system namespaces and Services', () => {
    expect(s.namespaces.map((n) => n.meta.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system', 'kube-flannel']);
    const svc = (name: string) => s.objects.find((o) => o.kind === 'Service' && o.meta.name === name)!.manifest.spec as Record<string, unknown>;
    expect(svc('kubernetes').clusterIP).toBe('10.96.0.1');
    expect(svc('kube-dns').clusterIP).toBe('10.96.0.10');
    expect(s.objects.map((o) => `${o.kind}/${o.meta.name}`)).toContain('Service/web');
    expect(s.configSource).toEqual({ file: 's.yaml', doc: 0, path: [] });
  });

  it('is deterministic, and the seed changes the random names', () => {
    expect(load(demoText)).toEqual(s);
    const other = load(demoText, 7);
    expect(other.config.seed).toBe(7);
    expect(other.pods.map((p) => p.meta.name)).not.toEqual(s.pods.map((p) => p.meta.name));
  });
});

describe('loadScenario: defaults', () => {
  it('a file with only pods gets the default config and three nodes', () => {
    const s = load(pod('a'));
    expect(s.config).toMatchObject({ name: 'kubernetes', cni: 'flannel', kubeProxy: 'iptables', nodeCIDRMaskSize: 24, clusterDomain: 'cluster.local', wireguard: false, nodeMtu: 1500, seed: 1, kubernetesVersion: 'v1.31.0' });
    expect([s.config.podCIDR, s.config.serviceCIDR, s.config.nodeNetwork].map(String)).toEqual(['10.244.0.0/16', '10.96.0.0/12', '192.168.1.0/24']);
    expect(s.nodes.map((n) => [n.meta.name, n.role, n.capacityPods])).toEqual([
      ['control-plane', 'control-plane', 110],
      ['worker-1', 'worker', 110],
      ['worker-2', 'worker', 110],
    ]);
    expect(s.nodes[0].meta.labels['node-role.kubernetes.io/control-plane']).toBe('');
    expect(s.pods.find((p) => p.meta.name === 'a')!.nodeName).toBe('worker-1');
  });

  it('aws-vpc nodes default to MTU 9001; kubeProxy none has no kube-proxy; calico and cilium add their controllers', () => {
    const doc = (spec: string) => `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: x}\nspec:\n${spec}`;
    expect(load(doc('  cni: aws-vpc')).config.nodeMtu).toBe(9001);
    expect(load(doc('  cni: aws-vpc\n  nodeMtu: 1500')).config.nodeMtu).toBe(1500);
    expect(load(doc('  kubeProxy: none')).pods.some((p) => p.meta.name.startsWith('kube-proxy-'))).toBe(false);
    const calico = load(doc('  cni: calico-vxlan'));
    expect(calico.pods.filter((p) => p.meta.name.startsWith('calico-kube-controllers-'))).toHaveLength(1);
    expect(calico.pods.filter((p) => p.meta.name.startsWith('calico-node-'))).toHaveLength(3);
    const cilium = load(doc('  cni: cilium'));
    const op = cilium.pods.filter((p) => p.meta.name.startsWith('cilium-operator-'));
    expect(op).toHaveLength(1);
    expect(op[0].hostNetwork).toBe(true);
  });
});

describe('loadScenario: a kubectl dump (kind: List)', () => {
  const s = load(dumpText);

  it('keeps the recorded addresses and roles', () => {
    expect(s.nodes.map((n) => [n.meta.name, n.role, formatIpv4(n.ip!), String(n.podCIDR)])).toEqual([
      ['kind-control-plane', 'control-plane', '172.18.0.3', '10.244.0.0/24'],
      ['kind-worker', 'worker', '172.18.0.2', '10.244.1.0/24'],
      ['kind-worker2', 'worker', '172.18.0.4', '10.244.2.0/24'],
    ]);
    const web = s.pods.find((p) => p.meta.name === 'web-7d9f8c6b4-m4ckz')!;
    expect(formatIpv4(web.podIP!)).toBe('10.244.1.2');
    expect(web.nodeName).toBe('kind-worker');
    expect(web.meta.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(web.meta.creationTimestamp).toBe('2024-05-14T09:20:17Z');
    expect(web.source?.path.slice(0, 1)).toEqual(['items']);
    expect(s.pods.find((p) => p.meta.name === 'etcd-kind-control-plane')!.podIP).toBeUndefined();
  });

  it('infers the ranges and the CNI from what the dump records', () => {
    expect(s.config.cni).toBe('flannel');
    expect(String(s.config.nodeNetwork)).toBe('172.18.0.0/24');
    expect(String(s.config.podCIDR)).toBe('10.244.0.0/16');
  });

  it('takes the pods as given: no system pod or workload pod is created twice', () => {
    expect(s.pods).toHaveLength(16);
    expect(s.pods.filter((p) => p.meta.name.startsWith('coredns-'))).toHaveLength(2);
    expect(s.objects.filter((o) => o.kind === 'Service').map((o) => o.meta.name)).toEqual(['kubernetes', 'kube-dns', 'web']);
    expect(s.namespaces.map((n) => n.meta.name)).toEqual(['default', 'kube-flannel', 'kube-node-lease', 'kube-public', 'kube-system', 'shop']);
    expect(s.pods.every((p) => p.phase === 'Running' && p.ready)).toBe(true);
  });
});

describe('loadScenario: errors', () => {
  it('RFC 1123 names, with apimachinery wording', () => {
    const errs = errorsOf('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Shop\n---\n' + pod('Web_1'));
    expect(errs).toEqual([
      { file: 's.yaml', line: 4, column: 3, object: 'Namespace/Shop', field: 'metadata.name', message: `Invalid value: "Shop": ${DNS1123_LABEL_MSG}` },
      { file: 's.yaml', line: 9, column: 3, object: 'Pod/default/Web_1', field: 'metadata.name', message: `Invalid value: "Web_1": ${DNS1123_SUBDOMAIN_MSG}` },
    ]);
    expect(DNS1123_LABEL_MSG).toBe(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  });

  it('spec.containers: Required value; container name and port checks', () => {
    const errs = errorsOf('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  nodeName: worker-1\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers:\n  - name: C\n    image: x\n    ports: [{containerPort: 70000}]');
    expect(errs.map((e) => [e.line, e.column, e.field, e.message])).toEqual([
      [4, 1, 'spec.containers', 'Required value'],
      [12, 5, 'spec.containers[0].name', `Invalid value: "C": ${DNS1123_LABEL_MSG}`],
      [14, 14, 'spec.containers[0].ports[0].containerPort', 'Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ]);
  });

  it('unknown kinds and unknown fields', () => {
    const errs = errorsOf('apiVersion: v1\nkind: Foo\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Deployment\nmetadata: {name: d}\n---\n' + pod('p', '\n  foo: 1'));
    expect(errs).toEqual([
      { file: 's.yaml', line: 2, column: 1, message: 'no matches for kind "Foo" in version "v1"' },
      { file: 's.yaml', line: 6, column: 1, message: 'no matches for kind "Deployment" in version "v1"' },
      { file: 's.yaml', line: 15, column: 3, object: 'Pod/default/p', field: 'spec.foo', message: 'strict decoding error: unknown field "spec.foo"' },
    ]);
  });

  it('duplicate names', () => {
    const errs = errorsOf(pod('a') + '\n---\n' + pod('a'));
    expect(errs).toEqual([{ file: 's.yaml', line: 14, column: 3, object: 'Pod/default/a', field: 'metadata.name', message: 'pods "a" already exists' }]);
  });

  it('namespaces that do not exist and nodes that do not exist', () => {
    const errs = errorsOf(pod('a', '', 'shop') + '\n---\n' + pod('b', '\n  nodeName: worker-9'));
    expect(errs.map((e) => [e.line, e.column, e.object, e.field, e.message])).toEqual([
      [5, 3, 'Pod/shop/a', 'metadata.namespace', 'namespaces "shop" not found'],
      [17, 3, 'Pod/default/b', 'spec.nodeName', 'nodes "worker-9" not found'],
    ]);
    expect(loadScenario([{ name: 'x', text: pod('k', '', 'kube-public') }]).ok).toBe(true);
  });

  it('Cluster document fields: CIDRs, overlaps, mask size, node addresses', () => {
    const text = [
      'apiVersion: podpath/v1alpha1',
      'kind: Cluster',
      'metadata: {name: bad}',
      'spec:',
      '  cni: flanel',
      '  podCIDR: 10.0.0.0/8',
      '  serviceCIDR: 10.96.0.0/33',
      '  nodeNetwork: 10.1.0.0/24',
      '  nodeCIDRMaskSize: 4',
      '  nodes:',
      '  - {name: cp, role: control-plane, ip: 192.168.9.9}',
      '  - {name: w1, podCIDR: 172.16.0.0/24}',
    ].join('\n');
    const errs = errorsOf(text);
    expect(errs.map((e) => [e.line, e.column, e.field, e.message])).toEqual([
      [5, 3, 'spec.cni', `Unsupported value: "flanel": supported values: ${CNI_MODES.map((m) => `"${m}"`).join(', ')}`],
      [7, 3, 'spec.serviceCIDR', 'Invalid value: "10.96.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
      [6, 3, 'spec.podCIDR', 'Invalid value: "10.0.0.0/8": must not overlap with spec.nodeNetwork (10.1.0.0/24)'],
      [7, 3, 'spec.serviceCIDR', 'Invalid value: "10.96.0.0/12": must not overlap with spec.podCIDR (10.0.0.0/8)'],
      [9, 3, 'spec.nodeCIDRMaskSize', 'Invalid value: 4: must not be smaller than the prefix length of spec.podCIDR (10.0.0.0/8)'],
      [11, 37, 'spec.nodes[0].ip', 'Invalid value: "192.168.9.9": must be inside spec.nodeNetwork (10.1.0.0/24)'],
      [12, 16, 'spec.nodes[1].podCIDR', 'Invalid value: "172.16.0.0/24": must be inside spec.podCIDR (10.0.0.0/8)'],
    ]);
    expect(errs.every((e) => e.object === 'Cluster/bad')).toBe(true);
  });

  it('a node podCIDR of the wrong size, overlapping node podCIDRs, a non-canonical node podCIDR', () => {
    const text = 'apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  nodes:\n  - {name: a, podCIDR: 10.244.0.0/25}\n  - {name: b, podCIDR: 10.244.0.0/24}\n  - {name: c, podCIDR: 10.244.7.1/24}';
    expect(errorsOf(text).map((e) => [e.line, e.field, e.message])).toEqual([
      // Node.spec.podCIDR is an API field: validation.IsValidCIDR wants the canonical form.
      [8, 'spec.nodes[2].podCIDR', 'Invalid value: "10.244.7.1/24": must be in canonical form ("10.244.7.0/24")'],
      [6, 'spec.nodes[0].podCIDR', 'Invalid value: "10.244.0.0/25": must be a /24 (spec.nodeCIDRMaskSize)'],
      [6, 'spec.nodes[0].podCIDR', 'Invalid value: "10.244.0.0/25": overlaps the PodCIDR of node "b" (10.244.0.0/24)'],
    ]);
  });

  // kube-controller-manager reads --cluster-cidr with netutils.ParseCIDRs (ParseCIDRSloppy, Go's
  // net.ParseCIDR: the IPNet it returns has the host bits masked); kube-apiserver reads
  // --service-cluster-ip-range the same way. Only API object fields must be canonical.
  it('reads the cluster CIDR, the Service range and the node network as the components read their flags: host bits masked', () => {
    const s = load('apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  podCIDR: 10.244.1.0/16\n  serviceCIDR: 10.96.0.1/12\n  nodeNetwork: 192.168.1.77/24');
    expect([s.config.podCIDR.toString(), s.config.serviceCIDR.toString(), s.config.nodeNetwork.toString()]).toEqual(['10.244.0.0/16', '10.96.0.0/12', '192.168.1.0/24']);
    expect(errorsOf('apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  podCIDR: 10.244.1.0/33').map((e) => [e.field, e.message])).toEqual([
      ['spec.podCIDR', 'Invalid value: "10.244.1.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
    ]);
  });

  it('Service clusterIPs outside the range or taken', () => {
    const svc = (name: string, ip: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  clusterIP: ${ip}\n  ports: [{port: 80}]`;
    const errs = errorsOf(svc('a', '10.0.0.1') + '\n---\n' + svc('b', '10.96.0.10'));
    expect(errs.map((e) => [e.line, e.field, e.message])).toEqual([
      [5, 'spec.clusterIPs', 'Invalid value: []string{"10.0.0.1"}: failed to allocate IP 10.0.0.1: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12'],
      [12, 'spec.clusterIPs', 'Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated'],
    ]);
  });

  it('malformed YAML gives the parser message at its line', () => {
    const errs = errorsOf(pod('a') + '\n---\nkind: Pod\n  bad: [\n');
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ file: 's.yaml', line: 12 });
    expect(errs[0].message).toMatch(/^error converting YAML to JSON: yaml: line 12: /);
  });

  it('collects every error and never half-loads; never throws on odd input', () => {
    const errs = errorsOf(pod('A') + '\n---\n' + pod('b', '', 'nope') + '\n---\n- just a list\n---\n42\n---\nkind: Pod');
    expect(errs.length).toBeGreaterThanOrEqual(4);
    expect(errs.some((e) => e.message === 'error validating data: apiVersion not set')).toBe(true);
    for (const junk of ['', '---', 'null', '[]', '{}', 'kind: List\napiVersion: v1\nitems: [1, {kind: Pod}]', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: 3']) {
      expect(() => loadScenario([{ name: 'j', text: junk }])).not.toThrow();
    }
  });

  it('workload checks: selector, template labels, restartPolicy', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: y}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: i}]';
    expect(errorsOf(text).map((e) => [e.line, e.field, e.message])).toEqual([
      [9, 'spec.template.spec.restartPolicy', 'Unsupported value: "Never": supported values: "Always"'],
      [7, 'spec.template.metadata.labels', 'Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`'],
    ]);
  });

  it('a selector is matched whole against the template labels, matchExpressions included', () => {
    const deploy = (expr: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector:\n    matchLabels: {app: x}\n    matchExpressions: [${expr}]\n  template:\n    metadata: {labels: {app: x, tier: web}}\n    spec:\n      containers: [{name: c, image: i}]`;
    expect(loadScenario([{ name: 's.yaml', text: deploy('{key: tier, operator: In, values: [web]}') }]).ok).toBe(true);
    expect(errorsOf(deploy('{key: tier, operator: In, values: [db]}')).map((e) => e.field)).toEqual(['spec.template.metadata.labels']);
  });
});

describe('loadScenario: capacity and scheduling', () => {
  const cluster = (nodes: string, pods: number, extra = '') =>
    `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  kubeProxy: none\n  nodes:\n${nodes}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: ${pods}\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:${extra}\n      containers: [{name: c, image: i}]`;

  it('fills the emptiest node first and honours capacity', () => {
    const s = load(cluster('  - {name: cp, role: control-plane}\n  - {name: w1, capacity: 4}\n  - {name: w2, capacity: 10}', 6));
    const d = s.pods.filter((p) => p.meta.name.startsWith('d-'));
    // coredns went to w1 and w2 first; flannel is on every node.
    expect(d.map((p) => p.nodeName)).toEqual(['w1', 'w2', 'w1', 'w2', 'w2', 'w2']);
  });

  it('leaves the pod no node fits Pending, with FailedScheduling as the scheduler words it', () => {
    const s = load(cluster('  - {name: cp, role: control-plane}\n  - {name: w1, capacity: 3}\n  - {name: w2, capacity: 3}', 3));
    const d = s.pods.filter((p) => p.meta.name.startsWith('d-'));
    expect(d.map((p) => p.nodeName)).toEqual(['w1', 'w2', '']);
    expect(d[2]).toMatchObject({
      phase: 'Pending',
      ready: false,
      status: {
        display: 'Pending',
        reason: 'Unschedulable',
        message:
          '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Too many pods. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
      },
    });
  });

  it('pods that tolerate the control-plane taint may go there', () => {
    const tol = '\n      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]';
    // cp holds 4 static pods + flannel; w1 two coredns + flannel, then room for two more.
    const s = load(cluster('  - {name: cp, role: control-plane}\n  - {name: w1, capacity: 5}', 3, tol));
    expect(s.pods.filter((p) => p.meta.name.startsWith('d-')).map((p) => p.nodeName)).toEqual(['w1', 'w1', 'cp']);
  });
});

describe('loadScenario: the scenarios the network-model property test generates', () => {
  it('load in every CNI mode', () => {
    for (const cni of ['flannel', 'flannel-host-gw', 'calico', 'calico-ipip', 'calico-vxlan', 'cilium', 'cilium-native', 'weave', 'aws-vpc']) {
      const docs = [
        `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: prop}\nspec:\n  cni: ${cni}\n  seed: 4242\n  nodes:\n  - {name: control-plane, role: control-plane}\n  - {name: worker-1}\n  - {name: worker-2}`,
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p0, namespace: shop, labels: {app: p0}}\nspec:\n  nodeName: worker-2\n  containers:\n  - {name: c, image: busybox}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p1, namespace: default, labels: {app: p1}}\nspec:\n  containers:\n  - {name: c, image: busybox}',
      ];
      const s = load(docs.join('\n---\n'));
      expect(s.pods.find((p) => p.meta.name === 'p0')!.nodeName).toBe('worker-2');
      expect(s.config.seed).toBe(4242);
    }
  });
});
