import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PMap, PVec } from './persistent';

type Op = { op: 'set'; key: string; value: number } | { op: 'delete'; key: string };

const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('set' as const), key: fc.stringMatching(/^[a-e]{1,2}$/), value: fc.integer() }),
    fc.record({ op: fc.constant('delete' as const), key: fc.stringMatching(/^[a-e]{1,2}$/) }),
  ),
  { maxLength: 300 },
);

describe('PMap', () => {
  it('behaves as a Map (order included) and every earlier version stays as it was', () => {
    fc.assert(
      fc.property(ops, (list: Op[]) => {
        const native = new Map<string, number>();
        let p = PMap.empty<number>();
        const versions: { p: PMap<number>; entries: [string, number][] }[] = [];
        for (const o of list) {
          if (o.op === 'set') {
            native.set(o.key, o.value);
            p = p.set(o.key, o.value);
          } else {
            native.delete(o.key);
            p = p.delete(o.key);
          }
          versions.push({ p, entries: [...native] });
          expect(p.size).toBe(native.size);
          expect(p.get(o.key)).toBe(native.get(o.key));
          expect(p.has(o.key)).toBe(native.has(o.key));
        }
        for (const v of versions) expect([...v.p]).toEqual(v.entries);
        expect([...PMap.from(native)]).toEqual([...native]);
      }),
    );
  });

  it('keeps many keys apart (hash buckets) and compacts the holes deletions leave', () => {
    let p = PMap.empty<number>();
    for (let i = 0; i < 5000; i++) p = p.set(`ns/pod-${i}`, i);
    const half = p;
    for (let i = 0; i < 5000; i += 2) p = p.delete(`ns/pod-${i}`);
    expect(p.size).toBe(2500);
    expect(p.get('ns/pod-1')).toBe(1);
    expect(p.get('ns/pod-2')).toBeUndefined();
    expect([...p.keys()].slice(0, 2)).toEqual(['ns/pod-1', 'ns/pod-3']);
    expect(half.size).toBe(5000);
    expect(half.get('ns/pod-2')).toBe(2);
    p = p.set('ns/pod-0', -1);
    expect([...p.keys()].at(-1)).toBe('ns/pod-0');
  });

  it('returns itself when a set changes nothing', () => {
    const p = PMap.empty<number>().set('a', 1);
    expect(p.set('a', 1)).toBe(p);
    expect(p.delete('b')).toBe(p);
  });
});

describe('PVec', () => {
  it('behaves as an array over pushes and sets; earlier versions unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.integer()), { maxLength: 2500 }), (list) => {
        let v = PVec.empty<number>();
        const arr: number[] = [];
        const snaps: [PVec<number>, number[]][] = [];
        for (const [push, at, x] of list) {
          if (push || !arr.length) {
            arr.push(x);
            v = v.push(x);
          } else {
            arr[at % arr.length] = x;
            v = v.set(at % arr.length, x);
          }
          if (snaps.length < 20 || arr.length % 97 === 0) snaps.push([v, [...arr]]);
        }
        expect(v.toArray()).toEqual(arr);
        expect(v.length).toBe(arr.length);
        expect(v.at(-1)).toBe(arr.at(-1));
        expect(v.get(arr.length)).toBeUndefined();
        for (const [s, a] of snaps) expect([...s]).toEqual(a);
        expect(PVec.from(arr).toArray()).toEqual(arr);
      }),
      { numRuns: 40 },
    );
  });
});
