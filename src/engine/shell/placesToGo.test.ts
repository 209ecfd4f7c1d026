import { describe, expect, it } from 'vitest';
import { loadCluster } from '../load';
import { placesToGo, toolsetOf } from './placesToGo';

const pod = (name: string, image: string, ns = 'default') => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}}
spec:
  nodeName: worker-1
  containers: [{name: main, image: "${image}"}]
`;

function cluster(...pods: string[]) {
  const r = loadCluster([{ name: 's.yaml', text: `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  nodes: [{name: control-plane, role: control-plane}, {name: worker-1}]\n${pods.join('')}` }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

describe('the pod and node the hints name', () => {
  it('client when its image has ping; else a pod whose image has it (not nginx, where ping is "command not found"); else any pod', () => {
    expect(placesToGo(cluster(pod('client', 'busybox:1.36'), pod('a', 'nginx:1.27'))).pod?.meta.name).toBe('client');
    expect(placesToGo(cluster(pod('a', 'nginx:1.27'), pod('client', 'nginx:1.27'), pod('tools', 'nicolaka/netshoot'))).pod?.meta.name).toBe('tools');
    expect(placesToGo(cluster(pod('a', 'nginx:1.27'), pod('b', 'busybox'))).pod?.meta.name).toBe('b');
    expect(placesToGo(cluster(pod('a', 'nginx:1.27'), pod('client', 'nginx:1.27'))).pod?.meta.name).toBe('client');
    expect(placesToGo(cluster(pod('a', 'nginx:1.27'))).pod?.meta.name).toBe('a');
    expect(placesToGo(cluster(pod('x', 'busybox', 'kube-system'))).pod).toBeUndefined();
    expect(placesToGo(cluster()).node?.meta.name).toBe('worker-1');
  });

  it('which tools an image has', () => {
    expect(toolsetOf('busybox:1.36')).toBe('busybox');
    expect(toolsetOf('nginx:alpine')).toBe('busybox');
    expect(toolsetOf('nginx:1.27')).toBe('debian');
    expect(toolsetOf('docker.io/library/python:3.12')).toBe('debian');
    expect(toolsetOf('calico/node:v3.28.0')).toBe('full');
  });
});
