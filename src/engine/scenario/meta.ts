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

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex8 = (n: number) => HEX[(n >>> 24) & 255] + HEX[(n >>> 16) & 255] + HEX[(n >>> 8) & 255] + HEX[n & 255];

/** Four FNV-1a lanes (different offset bases) advanced together; a separator between the parts. */
const lanes = new Int32Array(4);
function mix(text: string): void {
  let a = lanes[0];
  let b = lanes[1];
  let c = lanes[2];
  let d = lanes[3];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x01000193);
    c = Math.imul(c ^ ch, 0x01000193);
    d = Math.imul(d ^ ch, 0x01000193);
  }
  lanes[0] = Math.imul(a ^ 0x2f, 0x01000193);
  lanes[1] = Math.imul(b ^ 0x2f, 0x01000193);
  lanes[2] = Math.imul(c ^ 0x2f, 0x01000193);
  lanes[3] = Math.imul(d ^ 0x2f, 0x01000193);
}

/** A uuid-shaped id (version 4 layout) hashed from kind/namespace/name/creation time: cheap, stable, and new when an object is recreated later. */
export function makeUid(kind: string, namespace: string | undefined, name: string, created: string): string {
  lanes[0] = 0x811c9dc5 | 0;
  lanes[1] = 0x050c5d1f;
  lanes[2] = 0x1b873593;
  lanes[3] = 0x85ebca6b | 0;
  mix(kind);
  mix(namespace ?? '');
  mix(name);
  mix(created);
  const a = lanes[0];
  // Avalanche the last characters into the later words, so similar names differ everywhere.
  const b = Math.imul(lanes[1] ^ (a >>> 15), 0x2c1b3c6d);
  const c = Math.imul(lanes[2] ^ (b >>> 13), 0x297a2d39);
  const d = Math.imul(lanes[3] ^ (c >>> 16), 0x85ebca6b | 0);
  const B = hex8(b);
  const C = hex8(c);
  // xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx
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
