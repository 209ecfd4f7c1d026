/**
 * Persistent collections: every "change" returns a new collection that shares all untouched
 * structure with the old one, which stays exactly as it was. A command on a 150,000-pod cluster
 * then costs what it changes (a few path copies of 32-wide arrays), not a copy of every pod,
 * and the snapshot it started from is still valid (the app's undo, the trace of the previous
 * state). The same idea as Clojure's PersistentVector / PersistentHashMap (Bagwell's
 * hash-array mapped tries), reduced to what the engine needs:
 *
 * - `PVec<T>`: an indexed sequence (get, set, push) in a 32-ary trie: O(log32 n) per change.
 * - `PMap<V>`: a string-keyed map with the iteration order of a JS `Map` (insertion order; a set
 *   of an existing key keeps its place; a deleted key set again goes last), implementing
 *   `ReadonlyMap`: a hash trie for the keys and a `PVec` for the order. Deleted entries leave a
 *   hole in the order, compacted when holes outnumber entries (amortised O(1)).
 *
 * Deterministic (no randomness, iteration never depends on hashes) and pure.
 */
import { fnv32aUnits } from './hash';

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type VNode = unknown[];

function setIn(node: VNode | undefined, shift: number, i: number, v: unknown): VNode {
  const copy = node ? node.slice() : [];
  if (shift === 0) copy[i & MASK] = v;
  else {
    const j = (i >>> shift) & MASK;
    copy[j] = setIn(copy[j] as VNode | undefined, shift - BITS, i, v);
  }
  return copy;
}

/** A persistent vector (see the module comment). */
export class PVec<T> implements Iterable<T> {
  private static readonly EMPTY = new PVec<never>(0, 0, []);

  private constructor(
    readonly length: number,
    private readonly shift: number,
    private readonly root: VNode,
  ) {}

  static empty<T>(): PVec<T> {
    return PVec.EMPTY as PVec<T>;
  }

  /** Built bottom-up in O(n). */
  static from<T>(items: Iterable<T>): PVec<T> {
    let level: VNode[] = [];
    let leaf: unknown[] = [];
    let n = 0;
    for (const x of items) {
      leaf.push(x);
      n++;
      if (leaf.length === WIDTH) {
        level.push(leaf);
        leaf = [];
      }
    }
    if (leaf.length) level.push(leaf);
    if (n === 0) return PVec.empty();
    let shift = 0;
    while (level.length > 1) {
      const up: VNode[] = [];
      for (let i = 0; i < level.length; i += WIDTH) up.push(level.slice(i, i + WIDTH));
      level = up;
      shift += BITS;
    }
    return new PVec(n, shift, level[0]);
  }

  private leaf(i: number): VNode {
    let node = this.root;
    for (let s = this.shift; s > 0; s -= BITS) node = node[(i >>> s) & MASK] as VNode;
    return node;
  }

  get(i: number): T | undefined {
    if (!(i >= 0 && i < this.length) || !Number.isInteger(i)) return undefined;
    return this.leaf(i)[i & MASK] as T;
  }

  /** Array.prototype.at: a negative index counts from the end. */
  at(i: number): T | undefined {
    return this.get(i < 0 ? this.length + i : i);
  }

  /** A vector with element `i` replaced (`i === length` appends). */
  set(i: number, v: T): PVec<T> {
    if (i === this.length) return this.push(v);
    if (!(i >= 0 && i < this.length) || !Number.isInteger(i)) throw new RangeError(`index ${i} out of range 0..${this.length}`);
    return new PVec(this.length, this.shift, setIn(this.root, this.shift, i, v));
  }

  push(v: T): PVec<T> {
    const i = this.length;
    let root = this.root;
    let shift = this.shift;
    if (i >= WIDTH << shift) {
      root = [root];
      shift += BITS;
    }
    return new PVec(i + 1, shift, setIn(root, shift, i, v));
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.values();
  }

  values(): IterableIterator<T> {
    let i = 0;
    let leaf: VNode = [];
    const n = this.length;
    const it: IterableIterator<T> = {
      next: (): IteratorResult<T> => {
        if (i >= n) return { done: true, value: undefined };
        if ((i & MASK) === 0) leaf = this.leaf(i);
        return { done: false, value: leaf[i++ & MASK] as T };
      },
      [Symbol.iterator]: () => it,
    };
    return it;
  }

  filter(fn: (x: T, i: number) => unknown): T[] {
    const out: T[] = [];
    let i = 0;
    for (const x of this) if (fn(x, i++)) out.push(x);
    return out;
  }

  find(fn: (x: T, i: number) => unknown): T | undefined {
    let i = 0;
    for (const x of this) if (fn(x, i++)) return x;
    return undefined;
  }

  some(fn: (x: T, i: number) => unknown): boolean {
    let i = 0;
    for (const x of this) if (fn(x, i++)) return true;
    return false;
  }

  map<U>(fn: (x: T, i: number) => U): U[] {
    const out = new Array<U>(this.length);
    let i = 0;
    for (const x of this) out[i] = fn(x, i++);
    return out;
  }

  /** Array.prototype.slice (negative indexes count from the end). */
  slice(start = 0, end = this.length): T[] {
    const n = this.length;
    const a = Math.max(0, start < 0 ? n + start : Math.min(start, n));
    const b = Math.max(a, end < 0 ? n + end : Math.min(end, n));
    const out: T[] = [];
    for (let i = a; i < b; i++) out.push(this.get(i)!);
    return out;
  }

  toArray(): T[] {
    const out = new Array<T>(this.length);
    let i = 0;
    for (const x of this) out[i++] = x;
    return out;
  }
}

/** One key's entry: shared by the hash trie (lookups) and the order vector (iteration). */
interface Entry<V> {
  readonly key: string;
  readonly value: V;
  readonly seq: number;
}

/**
 * The key index: a hash trie of fixed depth 3 over 15 bits of FNV-1a (32,768 buckets, each a
 * small array of entries compared by key). Lookups and path copies cost the same at any size.
 */
const LEVELS = 3;
type Bucket<V> = readonly Entry<V>[];

const hashOf = (key: string) => fnv32aUnits(key);

function bucketOf<V>(root: VNode, h: number): Bucket<V> | undefined {
  let node: VNode | undefined = root;
  for (let l = 0; l < LEVELS && node; l++) node = node[(h >>> (l * BITS)) & MASK] as VNode | undefined;
  return node as Bucket<V> | undefined;
}

function findIn<V>(root: VNode, key: string): Entry<V> | undefined {
  const b = bucketOf<V>(root, hashOf(key));
  if (!b) return undefined;
  for (const e of b) if (e.key === key) return e;
  return undefined;
}

/** The trie with `key`'s entry replaced by `e` (or removed when `e` is undefined), path-copied. */
function trieWith<V>(node: VNode | undefined, h: number, level: number, key: string, e: Entry<V> | undefined): VNode | undefined {
  if (level === LEVELS) {
    const b = (node as Bucket<V> | undefined) ?? [];
    const out = b.filter((x) => x.key !== key);
    if (e) out.push(e);
    return out.length ? out : undefined;
  }
  const j = (h >>> (level * BITS)) & MASK;
  const child = trieWith(node?.[j] as VNode | undefined, h, level + 1, key, e);
  const copy = node ? node.slice() : [];
  copy[j] = child;
  return copy;
}

/** In-place insert into a trie being built (its arrays are not shared yet). */
function trieAdd<V>(root: VNode, e: Entry<V>): void {
  const h = hashOf(e.key);
  let node = root;
  for (let l = 0; l < LEVELS; l++) {
    const j = (h >>> (l * BITS)) & MASK;
    node = (node[j] as VNode | undefined) ?? (node[j] = []);
  }
  (node as Entry<V>[]).push(e);
}

/** A persistent string-keyed map in `Map` iteration order (see the module comment). */
export class PMap<V> implements ReadonlyMap<string, V> {
  private static readonly EMPTY = new PMap<never>([], PVec.empty(), 0);

  private constructor(
    private readonly trie: VNode,
    private readonly order: PVec<Entry<V> | undefined>,
    readonly size: number,
  ) {}

  static empty<V>(): PMap<V> {
    return PMap.EMPTY as PMap<V>;
  }

  /** From entries or a Map, keeping their order; a PMap comes back as it is. O(n). */
  static from<V>(entries: Iterable<readonly [string, V]> | PMap<V>): PMap<V> {
    if (entries instanceof PMap) return entries;
    const trie: VNode = [];
    const order: Entry<V>[] = [];
    const seen = new Map<string, number>();
    for (const [key, value] of entries) {
      const at = seen.get(key);
      if (at !== undefined) {
        order[at] = { key, value, seq: at };
        continue;
      }
      seen.set(key, order.length);
      order.push({ key, value, seq: order.length });
    }
    for (const e of order) trieAdd(trie, e);
    return new PMap(trie, PVec.from(order), order.length);
  }

  /** From a plain object's own entries (a Record kept as state). */
  static fromRecord<V>(record: Record<string, V>): PMap<V> {
    return PMap.from(Object.entries(record));
  }

  get(key: string): V | undefined {
    return findIn<V>(this.trie, key)?.value;
  }

  has(key: string): boolean {
    return findIn<V>(this.trie, key) !== undefined;
  }

  /** Where `key` comes in iteration order, as a number that sorts like it (-1: absent). */
  orderOf(key: string): number {
    return findIn<V>(this.trie, key)?.seq ?? -1;
  }

  set(key: string, value: V): PMap<V> {
    const h = hashOf(key);
    const old = findIn<V>(this.trie, key);
    if (old) {
      if (Object.is(old.value, value)) return this;
      const e = { key, value, seq: old.seq };
      return new PMap(trieWith(this.trie, h, 0, key, e)!, this.order.set(old.seq, e), this.size);
    }
    const e = { key, value, seq: this.order.length };
    return new PMap(trieWith(this.trie, h, 0, key, e)!, this.order.push(e), this.size + 1);
  }

  delete(key: string): PMap<V> {
    const old = findIn<V>(this.trie, key);
    if (!old) return this;
    const next = new PMap<V>(trieWith(this.trie, hashOf(key), 0, key, undefined) ?? [], this.order.set(old.seq, undefined), this.size - 1);
    // Holes outnumber entries: rebuild the order (amortised O(1) per delete).
    return next.order.length > 2 * next.size + WIDTH ? PMap.from(next.entries()) : next;
  }

  *entries(): IterableIterator<[string, V]> {
    for (const e of this.order) if (e) yield [e.key, e.value];
  }

  *keys(): IterableIterator<string> {
    for (const e of this.order) if (e) yield e.key;
  }

  *values(): IterableIterator<V> {
    for (const e of this.order) if (e) yield e.value;
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const e of this.order) if (e) fn.call(thisArg, e.value, e.key, this);
  }

  get [Symbol.toStringTag](): string {
    return 'PMap';
  }
}

/**
 * A PMap being written by one owner (an allocator during a load or a command): writes go to a
 * plain Map at Map speed, and `snapshot` folds them into a new PMap in O(writes). What was
 * snapshotted before never changes.
 */
export class PMapDraft<V> {
  private readonly writes = new Map<string, V | undefined>();

  constructor(private base: PMap<V>) {}

  get(key: string): V | undefined {
    return this.writes.has(key) ? this.writes.get(key) : this.base.get(key);
  }

  set(key: string, value: V): void {
    this.writes.set(key, value);
  }

  delete(key: string): void {
    this.writes.set(key, undefined);
  }

  /** The map as written so far (persistent). */
  snapshot(): PMap<V> {
    for (const [k, v] of this.writes) this.base = v === undefined ? this.base.delete(k) : this.base.set(k, v);
    this.writes.clear();
    return this.base;
  }
}

/** A key/value state a command replaces rather than changes (a PMap, or a Record from older state). */
export type KeyedState<V> = PMap<V> | Record<string, V>;

/** The PMap of a keyed state (Records are converted once). */
export const asPMap = <V>(s: KeyedState<V> | undefined): PMap<V> => (s instanceof PMap ? s : s ? PMap.fromRecord(s) : PMap.empty());
