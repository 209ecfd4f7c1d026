import { expect, it } from 'vitest';
import { sha512Hex } from './sha512';
import { createHash } from 'node:crypto';
it('sha512', () => { for (const s of ['', 'abc', 'x'.repeat(300)]) expect(sha512Hex(s)).toBe(createHash('sha512').update(s).digest('hex')); });
