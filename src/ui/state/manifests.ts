/**
 * Manifests the edit panels generate: a Service in front of some pods, a NetworkPolicy from a
 * form. They go through the engine's `applyManifests` like `kubectl apply`, so the engine
 * validates them and reports errors in kubectl's words. Written as YAML so the text the user
 * can copy is what was applied.
 */
import jsyaml from 'js-yaml';

export type Protocol = 'TCP' | 'UDP';

export interface ServiceForm {
  name: string;
  namespace: string;
  selector: Record<string, string>;
  port: number;
  targetPort: number | string;
  protocol: Protocol;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
}

export function serviceManifest(f: ServiceForm): string {
  return jsyaml.dump(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: f.name, namespace: f.namespace },
      spec: { type: f.type, selector: f.selector, ports: [{ name: `${f.protocol.toLowerCase()}-${f.port}`, protocol: f.protocol, port: f.port, targetPort: f.targetPort }] },
    },
    { lineWidth: -1 },
  );
}

/** The labels the selected pods all share (a selector that picks exactly what they have in common). */
export function commonLabels(labelSets: Record<string, string>[]): Record<string, string> {
  if (!labelSets.length) return {};
  const [first, ...rest] = labelSets;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first)) {
    // Controller bookkeeping labels would pin the Service to one ReplicaSet revision.
    if (k === 'pod-template-hash' || k === 'controller-revision-hash' || k === 'pod-template-generation') continue;
    if (rest.every((l) => l[k] === v)) out[k] = v;
  }
  return out;
}

/** `app=web, tier=backend` → {app: 'web', tier: 'backend'}; null when a term is malformed. */
export function parseLabels(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const term of text.split(/[,\n]/).map((t) => t.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*(\S*)$/.exec(term);
    if (!m) return null;
    out[m[1]] = m[2];
  }
  return out;
}

export const formatLabels = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

export interface PolicyPeer {
  /** Pods with these labels (in the policy's namespace, or in `namespace` when set). */
  podLabels?: Record<string, string>;
  /** Namespace by name (kubernetes.io/metadata.name). */
  namespace?: string;
  cidr?: string;
}

export interface PolicyForm {
  name: string;
  namespace: string;
  /** Pods the policy applies to; empty = every pod of the namespace. */
  podSelector: Record<string, string>;
  direction: 'Ingress' | 'Egress';
  /** No peers: nothing is allowed in that direction (default deny). */
  peers: PolicyPeer[];
  ports: { protocol: Protocol; port: number }[];
}

function peerOf(p: PolicyPeer): Record<string, unknown> {
  if (p.cidr) return { ipBlock: { cidr: p.cidr } };
  const out: Record<string, unknown> = {};
  if (p.namespace) out.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } };
  out.podSelector = p.podLabels && Object.keys(p.podLabels).length ? { matchLabels: p.podLabels } : {};
  return out;
}

export function policyManifest(f: PolicyForm): string {
  const key = f.direction === 'Ingress' ? 'ingress' : 'egress';
  const peerKey = f.direction === 'Ingress' ? 'from' : 'to';
  const spec: Record<string, unknown> = {
    podSelector: Object.keys(f.podSelector).length ? { matchLabels: f.podSelector } : {},
    policyTypes: [f.direction],
  };
  if (f.peers.length || f.ports.length) {
    const rule: Record<string, unknown> = {};
    if (f.peers.length) rule[peerKey] = f.peers.map(peerOf);
    if (f.ports.length) rule.ports = f.ports.map((p) => ({ protocol: p.protocol, port: p.port }));
    spec[key] = [rule];
  }
  return jsyaml.dump({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: f.name, namespace: f.namespace }, spec }, { lineWidth: -1 });
}
