/**
 * Hand-written Scenarios for the build and command tests (the loader is not needed): a
 * config per CNI mode, nodes, and pods already scheduled. Test support only.
 */
import { Cidr, parseIpv4 } from '../addressing/ipv4';
import type { ClusterConfig, CniMode, ObjectMeta } from './cluster';
import type { NodeDecl, PodDecl, Scenario } from '../scenario/types';

export const cidr = (s: string): Cidr => Cidr.parse(s)!;
export const ip = (s: string): number => parseIpv4(s)!;

export function config(cni: CniMode, over: Partial<ClusterConfig> = {}): ClusterConfig {
  const pool = cni.startsWith('calico') ? '192.168.0.0/16' : cni.startsWith('cilium') ? '10.0.0.0/8' : cni === 'weave' ? '10.32.0.0/12' : '10.244.0.0/16';
  return {
    name: 'test',
    cni,
    kubeProxy: 'iptables',
    podCIDR: cidr(pool),
    nodeCIDRMaskSize: 24,
    serviceCIDR: cidr('10.96.0.0/12'),
    nodeNetwork: cidr('172.18.0.0/16'),
    clusterDomain: 'cluster.local',
    wireguard: false,
    nodeMtu: 1500,
    seed: 42,
    kubernetesVersion: 'v1.31.0',
    ...over,
  };
}

export function meta(name: string, namespace?: string, labels: Record<string, string> = {}): ObjectMeta {
  return { name, ...(namespace ? { namespace } : {}), labels, annotations: {}, uid: `uid-${namespace ?? ''}-${name}`, creationTimestamp: '0' };
}

export function node(name: string, over: Partial<NodeDecl> = {}): NodeDecl {
  return { meta: meta(name), role: name.startsWith('control') ? 'control-plane' : 'worker', capacityPods: 110, ...over };
}

export function pod(name: string, nodeName: string, over: Partial<PodDecl> & { namespace?: string } = {}): PodDecl {
  const { namespace, ...rest } = over;
  return {
    meta: meta(name, namespace ?? 'default', { app: name }),
    nodeName,
    hostNetwork: false,
    containers: [{ name: 'c', image: 'busybox:1.36', ports: [] }],
    phase: 'Running',
    ready: true,
    ...rest,
  };
}

export function scenario(cfg: ClusterConfig, nodes: NodeDecl[], pods: PodDecl[] = []): Scenario {
  return {
    files: [],
    config: cfg,
    namespaces: [{ kind: 'Namespace', meta: meta('default') }, { kind: 'Namespace', meta: meta('kube-system') }],
    nodes,
    pods,
    workloads: [],
    objects: [],
  };
}

/** Three nodes (control-plane, worker-1, worker-2) and one pod per worker, then a second on worker-1. */
export function threeNodes(cni: CniMode, over: Partial<ClusterConfig> = {}): Scenario {
  return scenario(
    config(cni, over),
    [node('control-plane'), node('worker-1'), node('worker-2')],
    [pod('a', 'worker-1'), pod('b', 'worker-2'), pod('c', 'worker-1')],
  );
}
