/**
 * The three patch kinds `kubectl patch --type` sends (k8s.io/apimachinery strategicpatch, RFC 7386
 * JSON merge patch via evanphx/json-patch MergePatch, RFC 6902 JSON patch), applied to a plain
 * object. Strategic merge covers what podpath's objects hold: maps merge, `null` deletes a key,
 * and the lists whose Go field tags say `patchStrategy:"merge"` merge element by element on their
 * `patchMergeKey` (containers/initContainers/env/volumes by name, volumeMounts by mountPath, a
 * container's ports by containerPort, a Service's ports by port); every other list is replaced.
 * Directives (`$patch`, `$retainKeys`, `$setElementOrder/…`, `$deleteFromPrimitiveList/…`) are
 * refused rather than half-applied.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
type Obj = { [k: string]: JsonValue };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

export class PatchError extends Error {}

/** RFC 7386: objects merge recursively, `null` removes, anything else (lists too) replaces. */
export function mergePatch(target: unknown, patch: unknown): JsonValue {
  if (!isObj(patch)) return clone(patch as JsonValue);
  const out: Obj = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

/** The merge key of a list by its field name and the path above it (types.go patchMergeKey tags). */
function mergeKeyOf(kind: string, path: string[], field: string): string | undefined {
  if (['containers', 'initContainers', 'ephemeralContainers', 'env', 'volumes', 'imagePullSecrets'].includes(field)) return 'name';
  if (field === 'volumeMounts' || field === 'volumeDevices') return field === 'volumeMounts' ? 'mountPath' : 'devicePath';
  if (field === 'ports') {
    const parent = path[path.length - 2];
    if (parent === 'containers' || parent === 'initContainers' || parent === 'ephemeralContainers') return 'containerPort';
    // ServiceSpec.Ports: `patchStrategy:"merge" patchMergeKey:"port"`.
    if (kind === 'Service' && path.length === 1 && path[0] === 'spec') return 'port';
  }
  return undefined;
}

/** Go's fmt of a map[string]interface{} (`map[image:x name:y]`), as strategicpatch words its errors. */
function goMap(v: JsonValue): string {
  if (isObj(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goMap(v[k])}`).join(' ')}]`;
  if (Array.isArray(v)) return `[${v.map(goMap).join(' ')}]`;
  return String(v);
}

/** A strategic merge patch (strategicpatch.StrategicMergePatch) for an object of `kind`. */
export function strategicMerge(kind: string, target: unknown, patch: unknown): JsonValue {
  if (!isObj(patch)) throw new PatchError('json: cannot unmarshal into Go value of type map[string]interface {}');
  return mergeMap(kind, [], isObj(target) ? target : {}, patch);
}

function mergeMap(kind: string, path: string[], target: Obj, patch: Obj): Obj {
  const out: Obj = clone(target);
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) throw new PatchError(`podpath does not apply the strategic merge directive "${k}" (at ${[...path, k].join('.')}); use --type json or --type merge instead`);
    if (v === null) {
      delete out[k];
      continue;
    }
    const here = [...path, k];
    const cur = out[k];
    if (isObj(v)) out[k] = mergeMap(kind, here, isObj(cur) ? cur : {}, v);
    else if (Array.isArray(v)) {
      const key = mergeKeyOf(kind, path, k);
      out[k] = key && Array.isArray(cur) ? mergeList(kind, here, key, cur, v) : key ? mergeList(kind, here, key, [], v) : clone(v);
    } else out[k] = v;
  }
  return out;
}

function mergeList(kind: string, path: string[], key: string, target: JsonValue[], patch: JsonValue[]): JsonValue[] {
  const out = clone(target);
  for (const el of patch) {
    if (!isObj(el)) throw new PatchError(`unable to find api field in struct for the list ${path[path.length - 1]}`);
    if (!(key in el)) throw new PatchError(`map: ${goMap(el)} does not contain declared merge key: ${key}`);
    const i = out.findIndex((o) => isObj(o) && JSON.stringify(o[key]) === JSON.stringify(el[key]));
    if (i >= 0) out[i] = mergeMap(kind, path, out[i] as Obj, el);
    else out.push(mergeMap(kind, path, {}, el));
  }
  return out;
}

/** RFC 6901 pointer segments (`~1` is `/`, `~0` is `~`). */
function pointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchError(`JSON pointer must be empty or start with a "/": ${p}`);
  return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

interface Op {
  op?: unknown;
  path?: unknown;
  from?: unknown;
  value?: JsonValue;
}

/**
 * RFC 6902 (evanphx/json-patch): add, remove, replace, move, copy, test. A failing operation
 * fails the whole patch; the API server answers it with a 422 kubectl prints as "The request is
 * invalid" (the operation's error in the simulator's message after it).
 */
export function jsonPatch(target: unknown, ops: unknown): JsonValue {
  if (!Array.isArray(ops)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target as JsonValue);
  for (const raw of ops as JsonValue[]) {
    const op = (isObj(raw) ? raw : {}) as Op;
    const path = typeof op.path === 'string' ? op.path : undefined;
    if (path === undefined) throw new PatchError(`${String(op.op)} operation missing path`);
    switch (op.op) {
      case 'add':
        doc = put(doc, pointer(path), clone(op.value ?? null), 'add');
        break;
      case 'replace':
        doc = put(doc, pointer(path), clone(op.value ?? null), 'replace');
        break;
      case 'remove':
        doc = remove(doc, pointer(path));
        break;
      case 'test': {
        const got = lookup(doc, pointer(path));
        if (JSON.stringify(got) !== JSON.stringify(op.value ?? null)) throw new PatchError(`testing value ${path} failed: test failed`);
        break;
      }
      case 'move':
      case 'copy': {
        if (typeof op.from !== 'string') throw new PatchError(`${op.op} operation missing from`);
        const v = lookup(doc, pointer(op.from));
        if (v === undefined) throw new PatchError(`${op.op} operation does not apply: doc is missing from path: ${op.from}: missing value`);
        if (op.op === 'move') doc = remove(doc, pointer(op.from));
        doc = put(doc, pointer(path), clone(v), 'add');
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return doc;
}

function lookup(doc: JsonValue, segs: string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = doc;
  for (const s of segs) {
    if (Array.isArray(cur)) cur = /^\d+$/.test(s) ? cur[Number(s)] : undefined;
    else if (isObj(cur)) cur = Object.hasOwn(cur, s) ? cur[s] : undefined;
    else return undefined;
  }
  return cur;
}

function put(doc: JsonValue, segs: string[], value: JsonValue, op: 'add' | 'replace'): JsonValue {
  if (!segs.length) return value;
  const parent = lookup(doc, segs.slice(0, -1));
  const last = segs[segs.length - 1];
  const where = '/' + segs.join('/');
  if (Array.isArray(parent)) {
    const i = last === '-' && op === 'add' ? parent.length : /^\d+$/.test(last) ? Number(last) : -1;
    if (i < 0 || i > parent.length || (op === 'replace' && i >= parent.length)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${where}": missing value`);
    if (op === 'add') parent.splice(i, 0, value);
    else parent[i] = value;
  } else if (isObj(parent)) {
    if (op === 'replace' && !Object.hasOwn(parent, last)) throw new PatchError(`replace operation does not apply: doc is missing key: ${where}: missing value`);
    parent[last] = value;
  } else throw new PatchError(`${op} operation does not apply: doc is missing path: "${where}": missing value`);
  return doc;
}

function remove(doc: JsonValue, segs: string[]): JsonValue {
  const parent = lookup(doc, segs.slice(0, -1));
  const last = segs[segs.length - 1];
  if (Array.isArray(parent) && /^\d+$/.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1);
  else if (isObj(parent) && Object.hasOwn(parent, last)) delete parent[last];
  else throw new PatchError(`Unable to remove nonexistent key: ${last}: missing value`);
  return doc;
}

/** Equal as JSON objects (key order ignored), as reflect.DeepEqual on decoded objects. */
export function sameJson(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => (Array.isArray(v) ? v.map(norm) : isObj(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, norm(v[k])])) : v);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}
