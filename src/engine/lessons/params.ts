/**
 * Per-learner variants: a lesson's params are chosen from the learner's seed with the engine's
 * seeded Rng (sim/rng.ts), so the same lesson and seed give the same values in the app, the CLI
 * and the grader; then every `${name}` in the spec is replaced. A string that is exactly one
 * `${name}` becomes the value itself (a number stays a number: `count: ${workers}`); inside a
 * longer string the value is written in. Params are drawn in the order the file lists them.
 */
import { Rng } from '../sim/rng';
import { fnv32a } from '../util/hash';
import type { Path } from '../scenario/problems';
import type { Param } from './types';

export type ParamValues = Record<string, string | number>;

const REF = /\$\{([A-Za-z_][A-Za-z0-9_-]*)\}/g;
const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_-]*)\}$/;

/** The values for `seed` (a lesson without params: none). The empty seed is a seed like any other. */
export function chooseParams(params: Record<string, Param>, seed: string): ParamValues {
  const rng = new Rng(fnv32a(`lesson-seed:${seed}`));
  const values: ParamValues = {};
  for (const [name, p] of Object.entries(params)) {
    if ('choose' in p) values[name] = p.choose[rng.int(p.choose.length)];
    else values[name] = p.range[0] + rng.int(p.range[1] - p.range[0] + 1);
  }
  return values;
}

/** Every param at its first value (choose: the first item, range: the low end). */
export function firstValues(params: Record<string, Param>): ParamValues {
  return Object.fromEntries(Object.entries(params).map(([k, p]) => [k, 'choose' in p ? p.choose[0] : p.range[0]]));
}

/** `v` with every `${name}` replaced (unknown names are left as they are: see unknownRefs). */
export function substitute(v: unknown, values: ParamValues): unknown {
  if (typeof v === 'string') {
    if (!v.includes('${')) return v;
    const whole = WHOLE.exec(v);
    if (whole && whole[1] in values) return values[whole[1]];
    return v.replace(REF, (m, name: string) => (name in values ? String(values[name]) : m));
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, values));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, values)]));
  return v;
}

/** `${name}` references to params that do not exist, with where they are. */
export function unknownRefs(v: unknown, known: Set<string>, path: Path = []): { path: Path; name: string }[] {
  const out: { path: Path; name: string }[] = [];
  const walk = (x: unknown, p: Path) => {
    if (typeof x === 'string') {
      for (const m of x.matchAll(REF)) if (!known.has(m[1])) out.push({ path: p, name: m[1] });
    } else if (Array.isArray(x)) x.forEach((y, i) => walk(y, [...p, i]));
    else if (typeof x === 'object' && x !== null) for (const [k, y] of Object.entries(x)) walk(y, [...p, k]);
  };
  walk(v, path);
  return out;
}
