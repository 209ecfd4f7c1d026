/**
 * The parsed form shared by both syntaxes: character sets, assertions, concatenation,
 * alternation, repetition, groups and back-references, with the character classes they use.
 */
export type RegexFlavor = 'bre' | 'ere' | 're2';

export interface RegexOptions {
  /** grep -i; for re2, the same as a leading `(?i)`. */
  ignoreCase?: boolean;
  /**
   * Work (thread steps of the simulation, calls of the backtracker) all matches of this compiled
   * expression may do together; past it a match throws RegexBudgetExceeded. Default: unbounded.
   */
  budget?: number;
}

/** Instructions a compiled expression may have (counted repetitions expanded). */
export const MAX_PROGRAM = 20000;
/** glibc's RE_DUP_MAX and Go's maximum repeat count. */
export const GNU_DUP_MAX = 0x7fff;
export const RE2_MAX_REPEAT = 1000;
/** Go's maxHeight: how deeply groups and repetitions may nest. */
export const MAX_DEPTH = 1000;

export type Pred = (c: number) => boolean;

export interface CharSet {
  /** Sorted [lo, hi] pairs of code points. */
  ranges: number[];
  preds: Pred[];
  neg: boolean;
  fold: boolean;
}

export type AssertKind = 'bot' | 'eot' | 'bol' | 'eol' | 'wordb' | 'nwordb' | 'wbeg' | 'wend' | 'nwbefore' | 'nwafter';

export type Node =
  | { t: 'set'; set: CharSet }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number; counted?: boolean }
  | { t: 'assert'; kind: AssertKind }
  | { t: 'group'; idx: number; node: Node }
  | { t: 'backref'; idx: number; fold: boolean };


export class ParseError extends Error {}

export const EMPTY: Node = { t: 'cat', items: [] };
export const cp = (s: string) => s.codePointAt(0)!;
export const isAsciiWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
export const UNI_WORD = /^[\p{L}\p{N}_]$/u;
export const isUniWord = (c: number) => c >= 0 && (c < 128 ? isAsciiWord(c) : UNI_WORD.test(String.fromCodePoint(c)));

export function lit(c: number, fold: boolean): Node {
  return { t: 'set', set: { ranges: [c, c], preds: [], neg: false, fold } };
}

export function anyBut(c: number): Node {
  return { t: 'set', set: { ranges: [c, c], preds: [], neg: true, fold: false } };
}

/** POSIX character classes ([:alpha:] …) over ASCII, as in the C locale and Go's syntax. */
export const POSIX_CLASSES: Record<string, number[]> = {
  alnum: [48, 57, 65, 90, 97, 122],
  alpha: [65, 90, 97, 122],
  ascii: [0, 127],
  blank: [9, 9, 32, 32],
  cntrl: [0, 31, 127, 127],
  digit: [48, 57],
  graph: [33, 126],
  lower: [97, 122],
  print: [32, 126],
  punct: [33, 47, 58, 64, 91, 96, 123, 126],
  space: [9, 13, 32, 32],
  upper: [65, 90],
  word: [48, 57, 65, 90, 95, 95, 97, 122],
  xdigit: [48, 57, 65, 70, 97, 102],
};
export const GNU_CLASS_NAMES = new Set(['alnum', 'alpha', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'xdigit']);

export const PERL_CLASSES: Record<string, { ranges: number[]; neg: boolean }> = {
  d: { ranges: POSIX_CLASSES.digit, neg: false },
  D: { ranges: POSIX_CLASSES.digit, neg: true },
  s: { ranges: [9, 10, 12, 13, 32, 32], neg: false },
  S: { ranges: [9, 10, 12, 13, 32, 32], neg: true },
  w: { ranges: POSIX_CLASSES.word, neg: false },
  W: { ranges: POSIX_CLASSES.word, neg: true },
};

export function setMatches(set: CharSet, c: number): boolean {
  let hit = inSet(set, c);
  if (!hit && set.fold) {
    const s = String.fromCodePoint(c);
    const lo = s.toLowerCase();
    const up = s.toUpperCase();
    if (lo !== s && [...lo].length === 1) hit = inSet(set, cp(lo));
    if (!hit && up !== s && [...up].length === 1) hit = inSet(set, cp(up));
  }
  return hit !== set.neg;
}

export function inSet(set: CharSet, c: number): boolean {
  const r = set.ranges;
  for (let i = 0; i < r.length; i += 2) if (c >= r[i] && c <= r[i + 1]) return true;
  for (const p of set.preds) if (p(c)) return true;
  return false;
}


export function inRanges(r: number[], c: number): boolean {
  for (let i = 0; i < r.length; i += 2) if (c >= r[i] && c <= r[i + 1]) return true;
  return false;
}
