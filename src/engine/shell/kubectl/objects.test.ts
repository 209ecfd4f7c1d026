import { describe, expect, it } from 'vitest';
import { loadCluster } from '../../index';
import { podJson } from './objects';

const pod = (name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
${spec}
  containers: [{name: c, image: busybox}]
`;

// Node a admits 6 pods (its DaemonSet pods count too): the later nodeName pods are rejected.
const YAML = [
  'apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  nodes:\n  - {name: a, capacity: {pods: 6}}\n',
  ...['ok', 'full', ...Array.from({ length: 6 }, (_, i) => `more-${i}`)].map((n) => pod(n, '  nodeName: a')),
  pod('ssd', '  nodeSelector: {disktype: ssd}'),
].join('---\n');

describe('kubectl get pod -o yaml of a pod that is not running', () => {
  const loaded = loadCluster([{ name: 'x.yaml', text: YAML }]);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const c = loaded.value;
  type PodJson = { spec: Record<string, unknown>; status: Record<string, unknown> };
  const json = (name: string) => podJson(c, c.pods.get(`default/${name}`)!) as PodJson;
  const withPhase = (phase: string) => {
    const pod = [...c.pods.values()].find((p) => p.phase === phase && p.meta.namespace === 'default');
    if (!pod) throw new Error(`no ${phase} pod`);
    return podJson(c, pod) as PodJson;
  };

  it('an unscheduled pod: no nodeName, PodScheduled=False with the scheduler reason and message, no container statuses', () => {
    const { spec, status } = json('ssd');
    expect(spec.nodeName).toBeUndefined();
    expect(status.phase).toBe('Pending');
    expect(status.containerStatuses).toBeUndefined();
    expect(status.conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: expect.stringContaining("didn't match Pod's node affinity/selector") }),
    ]);
  });

  it('a pod kubelet rejected (OutOfpods): phase Failed with its reason and message', () => {
    const { status } = withPhase('Failed');
    expect(status.phase).toBe('Failed');
    expect(status.reason).toBe('OutOfpods');
    expect(status.message).toMatch(/^Pod was rejected: Node didn't have enough resource: pods/);
  });

  it('a running pod keeps PodScheduled=True and no reason', () => {
    const { status } = withPhase('Running');
    expect(status.phase).toBe('Running');
    expect(status.reason).toBeUndefined();
    expect(status.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
  });
});
