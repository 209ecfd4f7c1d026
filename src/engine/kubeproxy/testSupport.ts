/** Test support: load a bundled scenario with a kube-proxy mode / CNI swapped in. Used only by tests and the bench. */
import { readFileSync } from 'node:fs';
import { loadCluster } from '../index';
import type { Cluster, CniMode, KubeProxyMode } from '../model/cluster';

export function scenarioCluster(file: 'demo.yaml' | 'services.yaml', opts: { mode?: KubeProxyMode; cni?: CniMode } = {}): Cluster {
  let text = readFileSync(new URL(`../../scenarios/${file}`, import.meta.url), 'utf8');
  if (opts.mode) text = text.replace(/kubeProxy: \w+/, `kubeProxy: ${opts.mode}`);
  if (opts.cni) text = text.replace(/cni: [\w-]+/, `cni: ${opts.cni}`);
  const r = loadCluster([{ name: file, text }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors).slice(0, 500));
  return r.value;
}
