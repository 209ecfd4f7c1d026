/**
 * Simulated time as kubectl shows it. `cluster.now` and `creationTimestamp` are seconds since
 * the scenario's epoch; the epoch is a fixed date so dates print the same on every machine.
 * `creationTimestamp` may also be an RFC 3339 string (a loaded `kubectl get -o yaml` dump).
 */

import type { ObjectMeta } from '../model/cluster';
import { EPOCH_MS, createdAt } from '../sim/clock';

export { EPOCH_MS, createdAt };

/** `2024-01-01T00:05:00Z` (metav1.Time's RFC 3339 form). */
export function rfc3339(seconds: number): string {
  return new Date(EPOCH_MS + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** `Mon, 01 Jan 2024 00:05:00 +0000` (time.RFC1123Z, what `kubectl describe` prints). */
export function rfc1123z(seconds: number): string {
  const d = new Date(EPOCH_MS + seconds * 1000);
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration: the AGE column. */
export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 60 * 2) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 10) {
    const rem = s % 60;
    return rem === 0 ? `${minutes}m` : `${minutes}m${rem}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(s / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** The AGE of an object at the cluster's current time. */
export function age(meta: ObjectMeta, now: number): string {
  return humanDuration(now - createdAt(meta));
}
