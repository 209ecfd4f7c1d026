import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classKeyAction, type ClassKeyState } from './classKeys';

const at = (s: Partial<ClassKeyState>): ClassKeyState => ({ stepPredicts: false, phase: null, hops: 0, cursor: -1, ...s });

describe('the clicker in the class view', () => {
  it('PageDown runs a predicted step: ask, jump to the question, reveal, then the hops, then the next step', () => {
    expect(classKeyAction(at({ stepPredicts: true }), true)).toBe('ask');
    expect(classKeyAction(at({ stepPredicts: true, phase: 'playing', hops: 12, cursor: 2 }), true)).toBe('jump');
    expect(classKeyAction(at({ stepPredicts: true, phase: 'asking', hops: 12, cursor: 5 }), true)).toBe('reveal');
    expect(classKeyAction(at({ stepPredicts: true, phase: 'revealed', hops: 12, cursor: 6 }), true)).toBe('hop');
    expect(classKeyAction(at({ stepPredicts: true, phase: 'revealed', hops: 12, cursor: 11 }), true)).toBe('next-step');
  });

  it('PageUp steps hops back, then the step before; it never undoes a question being asked', () => {
    expect(classKeyAction(at({ hops: 5, cursor: 3 }), false)).toBe('hop');
    expect(classKeyAction(at({ hops: 5, cursor: 0 }), false)).toBe('prev-step');
    expect(classKeyAction(at({}), false)).toBe('prev-step');
    expect(classKeyAction(at({ stepPredicts: true, phase: 'asking', hops: 5, cursor: 3 }), false)).toBe('none');
  });

  it('never reveals going back, and never moves on while the class is asked', () => {
    const phase = fc.constantFrom(null, 'playing' as const, 'asking' as const, 'revealed' as const);
    fc.assert(
      fc.property(fc.boolean(), phase, fc.nat(40), fc.integer({ min: -1, max: 40 }), (stepPredicts, ph, hops, cursor) => {
        const s = at({ stepPredicts, phase: ph, hops, cursor: Math.min(cursor, hops - 1) });
        expect(classKeyAction(s, false)).not.toBe('reveal');
        if (ph === 'asking') expect(classKeyAction(s, true)).toBe('reveal');
      }),
    );
  });
});
