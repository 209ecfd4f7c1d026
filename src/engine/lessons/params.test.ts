import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseParams, substitute, unknownRefs } from './params';
import type { Param } from './types';

const params = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/),
  fc.oneof(
    fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { minLength: 1, maxLength: 5 }).map((choose): Param => ({ choose })),
    fc.tuple(fc.integer({ min: -5, max: 20 }), fc.integer({ min: 0, max: 10 })).map(([lo, span]): Param => ({ range: [lo, lo + span] })),
  ),
  { maxKeys: 4 },
);

describe('params', () => {
  it('every value comes from its param (a choice, or an integer in the range), the same for the same seed', () => {
    fc.assert(
      fc.property(params, fc.string({ maxLength: 8 }), (ps, seed) => {
        const v = chooseParams(ps, seed);
        expect(chooseParams(ps, seed)).toEqual(v);
        for (const [k, p] of Object.entries(ps)) {
          if ('choose' in p) expect(p.choose).toContain(v[k]);
          else {
            expect(Number.isInteger(v[k])).toBe(true);
            expect(v[k]).toBeGreaterThanOrEqual(p.range[0]);
            expect(v[k]).toBeLessThanOrEqual(p.range[1]);
          }
        }
      }),
    );
  });

  it('substitution replaces every known reference and leaves no ${known} behind', () => {
    fc.assert(
      fc.property(params, fc.string({ maxLength: 8 }), (ps, seed) => {
        const v = chooseParams(ps, seed);
        const names = Object.keys(v);
        const doc = { a: names.map((n) => `x-\${${n}}-y`), b: Object.fromEntries(names.map((n) => [n, `\${${n}}`])), c: 'plain' };
        const out = substitute(doc, v) as typeof doc;
        expect(unknownRefs(out, new Set(names))).toEqual([]);
        expect(JSON.stringify(out)).not.toMatch(new RegExp(names.map((n) => `\\$\\{${n}\\}`).join('|') || '^$'));
        names.forEach((n, i) => {
          expect(out.b[n]).toBe(v[n]); // a whole-string reference keeps the value's type
          expect(out.a[i]).toBe(`x-${v[n]}-y`);
        });
        expect(out.c).toBe('plain');
      }),
    );
  });

  it('reports references to params that do not exist, with their path', () => {
    expect(unknownRefs({ steps: [{ task: 'go to ${ns} and ${nope}' }] }, new Set(['ns']), ['spec'])).toEqual([{ path: ['spec', 'steps', 0, 'task'], name: 'nope' }]);
  });
});
