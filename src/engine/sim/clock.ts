/**
 * The simulated clock. `Cluster.now` and `creationTimestamp` count seconds since the scenario
 * epoch, a fixed date, so ages and dates print the same on every machine and every run.
 * `creationTimestamp` may also be an RFC 3339 string (a loaded `kubectl get -o yaml` dump).
 */
import type { ObjectMeta } from '../model/cluster';

/** The scenario epoch: 2024-01-01T00:00:00Z, in ms. */
export const EPOCH_MS = Date.UTC(2024, 0, 1, 0, 0, 0);

/** How long after its newest object a loaded cluster is looked at (the AGE of the last-created pod). */
export const SETTLE_SECONDS = 300;

/** Seconds since the epoch at which the object was created. */
export function createdAt(meta: ObjectMeta): number {
  const t = meta.creationTimestamp;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : Math.floor((ms - EPOCH_MS) / 1000);
}
