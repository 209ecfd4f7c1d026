/**
 * `kubectl rollout restart`: patches the pod template's `kubectl.kubernetes.io/restartedAt`
 * annotation; the Deployment controller makes a new ReplicaSet (new pod-template-hash) and
 * replaces the pods. CONTRACT (filled in by the controllers work): signatures are fixed.
 */
import type { Cluster } from '../model/cluster';
import { fail, type Result } from '../model/source';
import { err } from './change';

export function rolloutRestart(_cluster: Cluster, _kind: 'Deployment' | 'DaemonSet', _namespace: string, _name: string): Result<Cluster> {
  return fail(err('rollout restart: not implemented yet'));
}

/** `kubectl annotate`: the object's annotations replaced by `annotations`. */
export function setAnnotations(_cluster: Cluster, _kind: string, _namespace: string, _name: string, _annotations: Record<string, string>): Result<Cluster> {
  return fail(err('annotate: not implemented yet'));
}
