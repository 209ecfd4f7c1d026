/**
 * Deterministic ObjectMeta pieces: uids and creation times.
 *
 * uid: uuid-shaped (version 4 layout, like the API server's uuid.NewRandom) from a hash of
 * kind/namespace/name/creation time, so the same file always gives the same uids and an object
 * recreated later gets a new one. creationTimestamp: seconds since the scenario epoch as a string
 * (shell/time.ts renders it); a dump's recorded RFC 3339 time and uid are kept as they are.
 */
import type { ObjectMeta } from '../model/cluster';

/** Seconds after the epoch at which the file's objects are created (the system boots at 0). */
export const USER_OBJECTS_AT = 5;

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** 128 bits from four FNV-1a passes (different offset bases) over the UTF-16 code units, in one loop: cheap, and enough for an id. */
export function makeUid(kind: string, namespace: string | undefined, name: string, created: string): string {
  const key = `${kind}/${namespace ?? ''}/${name}@${created}`;
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  let c = 0x1b873593;
  let d = 0x85ebca6b;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x01000193);
    c = Math.imul(c ^ ch, 0x01000193);
    d = Math.imul(d ^ ch, 0x01000193);
  }
  // Avalanche the last characters into every word, so similar names differ everywhere.
  b = Math.imul(b ^ (a >>> 15), 0x2c1b3c6d);
  c = Math.imul(c ^ (b >>> 13), 0x297a2d39);
  d = Math.imul(d ^ (c >>> 16), 0x85ebca6b);
  const B = hex8(b);
  const C = hex8(c);
  // Version 4 layout: xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx
  return `${hex8(a)}-${B.slice(0, 4)}-4${B.slice(5)}-${(8 | (c & 3)).toString(16)}${C.slice(5)}-${C.slice(0, 4)}${hex8(d)}`;
}

/** An ObjectMeta the engine creates itself (system objects, expanded pods). */
export function newMeta(kind: string, name: string, namespace: string | undefined, created: number, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): ObjectMeta {
  const creationTimestamp = String(created);
  const meta: ObjectMeta = { name, labels, annotations, uid: makeUid(kind, namespace, name, creationTimestamp), creationTimestamp };
  if (namespace !== undefined) meta.namespace = namespace;
  return meta;
}

/** js-yaml turns an unquoted timestamp into a Date; kubectl prints metav1.Time as RFC 3339 seconds. */
export function timestampText(value: unknown): string | undefined {
  if (typeof value === 'string' && value) return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (typeof value === 'number') return String(value);
  return undefined;
}
