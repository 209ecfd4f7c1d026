/**
 * Regular expressions in linear time: one parser per syntax the simulated tools read, one
 * Thompson-NFA simulation (Pike VM without captures) that they all share.
 *
 * - `bre` / `ere`: POSIX basic / extended syntax as GNU grep reads it (glibc regcomp with
 *   RE_SYNTAX_GREP / RE_SYNTAX_EGREP, plus grep's own dfa.c checks): `\|`, `\+`, `\?` in BRE,
 *   `\w \W \s \S \b \B \< \> \` \'`, bracket classes `[[:alpha:]]`, intervals up to RE_DUP_MAX
 *   (32767), a leading `*` literal in BRE and applied to the empty string in ERE, an invalid ERE
 *   interval read as a literal `{` (RE_INVALID_INTERVAL_ORD). Errors are glibc's regerror texts
 *   (`Unmatched ( or \(` …); `stray \ before x` warnings as GNU grep 3.8+ prints them.
 * - `re2`: Go's regexp/syntax with the Perl flags (regexp.Compile), which RE2 — Envoy's
 *   matcher, behind Cilium's L7 HTTP rules — shares: `(?i)`/`(?s)`/`(?m)`/`(?U)` flags,
 *   `(?:…)`, `(?P<name>…)`, `\d \s \w \pL \p{Greek}`, `\A \z \b \B`, `\Q…\E`, repeat counts up to
 *   1000. Errors in Go's words: `error parsing regexp: missing closing ): `(``.
 *
 * Every match costs O(text × program): no backtracking, so `(a+)+$` on a long line is as cheap as
 * `a`. Back-references (`\1`, GNU only) are not regular: a pattern with one is matched by
 * backtracking, as glibc does, within a step budget (BACKTRACK_BUDGET); past it the match throws
 * RegexBudgetExceeded, which the tool reports as the Ctrl-C a user would have pressed.
 *
 * The program is bounded (MAX_PROGRAM instructions after counted repetitions are expanded):
 * past it, compilation fails as glibc and Go fail on oversized expressions.
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
const GNU_DUP_MAX = 0x7fff;
const RE2_MAX_REPEAT = 1000;
/** Go's maxHeight: how deeply groups and repetitions may nest. */
const MAX_DEPTH = 1000;

type Pred = (c: number) => boolean;

interface CharSet {
  /** Sorted [lo, hi] pairs of code points. */
  ranges: number[];
  preds: Pred[];
  neg: boolean;
  fold: boolean;
}

type AssertKind = 'bot' | 'eot' | 'bol' | 'eol' | 'wordb' | 'nwordb' | 'wbeg' | 'wend' | 'nwbefore' | 'nwafter';

type Node =
  | { t: 'set'; set: CharSet }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number; counted?: boolean }
  | { t: 'assert'; kind: AssertKind }
  | { t: 'group'; idx: number; node: Node }
  | { t: 'backref'; idx: number; fold: boolean };

/** Steps (and nesting) a back-reference match may take before it counts as never ending. */
export const BACKTRACK_BUDGET = 1_000_000;
const BACKTRACK_DEPTH = 1500;

/** A back-reference match ran past BACKTRACK_BUDGET. */
export class RegexBudgetExceeded extends Error {
  constructor() {
    super('regular expression match exceeded its step budget');
  }
}

export type CompileResult = { ok: true; regex: Regex; warnings: string[] } | { ok: false; error: string };

class ParseError extends Error {}

const EMPTY: Node = { t: 'cat', items: [] };
const cp = (s: string) => s.codePointAt(0)!;
const isAsciiWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const UNI_WORD = /^[\p{L}\p{N}_]$/u;
const isUniWord = (c: number) => c >= 0 && (c < 128 ? isAsciiWord(c) : UNI_WORD.test(String.fromCodePoint(c)));

function lit(c: number, fold: boolean): Node {
  return { t: 'set', set: { ranges: [c, c], preds: [], neg: false, fold } };
}

function anyBut(c: number): Node {
  return { t: 'set', set: { ranges: [c, c], preds: [], neg: true, fold: false } };
}

/** POSIX character classes ([:alpha:] …) over ASCII, as in the C locale and Go's syntax. */
const POSIX_CLASSES: Record<string, number[]> = {
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
const GNU_CLASS_NAMES = new Set(['alnum', 'alpha', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'xdigit']);

const PERL_CLASSES: Record<string, { ranges: number[]; neg: boolean }> = {
  d: { ranges: POSIX_CLASSES.digit, neg: false },
  D: { ranges: POSIX_CLASSES.digit, neg: true },
  s: { ranges: [9, 10, 12, 13, 32, 32], neg: false },
  S: { ranges: [9, 10, 12, 13, 32, 32], neg: true },
  w: { ranges: POSIX_CLASSES.word, neg: false },
  W: { ranges: POSIX_CLASSES.word, neg: true },
};

function setMatches(set: CharSet, c: number): boolean {
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

function inSet(set: CharSet, c: number): boolean {
  const r = set.ranges;
  for (let i = 0; i < r.length; i += 2) if (c >= r[i] && c <= r[i + 1]) return true;
  for (const p of set.preds) if (p(c)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// GNU grep: POSIX BRE / ERE

class GnuParser {
  private i = 0;
  private groups = 0;
  private readonly completed = new Set<number>();
  hasBackrefs = false;
  readonly warnings: string[] = [];
  private readonly p: string[];
  constructor(
    pattern: string,
    private readonly ere: boolean,
    private readonly fold: boolean,
  ) {
    this.p = [...pattern];
  }

  parse(): Node {
    const n = this.alt(0);
    if (this.i < this.p.length) throw new ParseError('Unmatched ) or \\)');
    return n;
  }

  private peek(k = 0): string | undefined {
    return this.p[this.i + k];
  }
  private atAltBar(): boolean {
    return this.ere ? this.peek() === '|' : this.peek() === '\\' && this.peek(1) === '|';
  }
  private atClose(): boolean {
    return this.ere ? this.peek() === ')' : this.peek() === '\\' && this.peek(1) === ')';
  }

  private alt(depth: number): Node {
    if (depth > MAX_DEPTH) throw new ParseError('Regular expression too big');
    const items = [this.branch(depth)];
    while (this.atAltBar()) {
      this.i += this.ere ? 1 : 2;
      items.push(this.branch(depth));
    }
    return items.length === 1 ? items[0] : { t: 'alt', items };
  }

  private branch(depth: number): Node {
    const items: Node[] = [];
    // At the start of a branch (or right after a BRE `^`) `*` is a literal (BRE) or repeats the empty string (ERE).
    let first = true;
    while (this.i < this.p.length && !this.atAltBar()) {
      if (this.atClose()) {
        if (depth === 0) throw new ParseError('Unmatched ) or \\)');
        break;
      }
      const atom = this.atom(depth, first);
      if (!this.ere && atom.t === 'assert' && atom.kind === 'bol') {
        items.push(atom);
        continue;
      }
      first = false;
      items.push(this.repeats(atom));
    }
    return items.length === 1 ? items[0] : { t: 'cat', items };
  }

  /** A BRE `$` is an anchor only last in a branch; elsewhere it is a literal. */
  private breDollarIsAnchor(): boolean {
    const n = this.peek(1);
    return n === undefined || (n === '\\' && (this.peek(2) === ')' || this.peek(2) === '|'));
  }

  private atom(depth: number, first: boolean): Node {
    const c = this.p[this.i];
    if (this.ere) {
      if (c === '(') {
        this.i++;
        const idx = ++this.groups;
        const inner = this.alt(depth + 1);
        if (this.peek() !== ')') throw new ParseError('Unmatched ( or \\(');
        this.i++;
        this.completed.add(idx);
        return { t: 'group', idx, node: inner };
      }
      if (c === '*' || c === '+' || c === '?') return EMPTY; // applied to the empty string (RE_CONTEXT_INDEP_OPS)
      if (c === '{' && first && this.interval(true) !== null) return EMPTY;
      if (c === '^') {
        this.i++;
        return { t: 'assert', kind: 'bol' };
      }
      if (c === '$') {
        this.i++;
        return { t: 'assert', kind: 'eol' };
      }
    } else {
      if (c === '\\' && this.peek(1) === '(') {
        this.i += 2;
        const idx = ++this.groups;
        const inner = this.alt(depth + 1);
        if (!(this.peek() === '\\' && this.peek(1) === ')')) throw new ParseError('Unmatched ( or \\(');
        this.i += 2;
        this.completed.add(idx);
        return { t: 'group', idx, node: inner };
      }
      if (c === '^' && first) {
        this.i++;
        return { t: 'assert', kind: 'bol' };
      }
      if (c === '$' && this.breDollarIsAnchor()) {
        this.i++;
        return { t: 'assert', kind: 'eol' };
      }
      if (c === '*' && first) {
        this.i++;
        return lit(42, this.fold);
      }
    }
    if (c === '.') {
      this.i++;
      return anyBut(10);
    }
    if (c === '[') return this.bracket();
    if (c === '\\') return this.escape(first);
    this.i++;
    return lit(cp(c), this.fold);
  }

  private escape(first: boolean): Node {
    const n = this.peek(1);
    if (n === undefined) throw new ParseError('Trailing backslash');
    this.i += 2;
    if (n >= '1' && n <= '9') {
      // glibc: the group must be complete (dfa->completed_bkref_map), else REG_ESUBREG.
      if (!this.completed.has(Number(n))) throw new ParseError('Invalid back reference');
      this.hasBackrefs = true;
      return { t: 'backref', idx: Number(n), fold: this.fold };
    }
    const perl = PERL_CLASSES[n];
    if (perl && 'wWsS'.includes(n)) {
      // GNU \w is [_[:alnum:]], \s [[:space:]].
      const ranges = n.toLowerCase() === 'w' ? POSIX_CLASSES.word : POSIX_CLASSES.space;
      return { t: 'set', set: { ranges, preds: n.toLowerCase() === 'w' ? [isUniWord] : [], neg: n === 'W' || n === 'S', fold: false } };
    }
    switch (n) {
      case 'b':
        return { t: 'assert', kind: 'wordb' };
      case 'B':
        return { t: 'assert', kind: 'nwordb' };
      case '<':
        return { t: 'assert', kind: 'wbeg' };
      case '>':
        return { t: 'assert', kind: 'wend' };
      case '`':
        return { t: 'assert', kind: 'bol' };
      case "'":
        return { t: 'assert', kind: 'eol' };
    }
    if (!this.ere && first && (n === '+' || n === '?' || n === '{')) return lit(cp(n), this.fold);
    if (!'.[]^$*\\+?(){}|'.includes(n) && !(this.ere && n === '/')) {
      // GNU grep 3.8+ (dfa.c): an escape that means nothing is a warning, then the character.
      this.warnings.push(/\s/.test(n) ? 'stray \\ before white space' : /[\x00-\x1f\x7f]/.test(n) ? 'stray \\ before unprintable character' : `stray \\ before ${n}`);
    }
    return lit(cp(n), this.fold);
  }

  /** ERE `{m,n}` at this.i (on the `{`); null when it is not a valid interval (then a literal `{`). */
  private interval(ere: boolean): { min: number; max: number; len: number } | null {
    let j = this.i + (ere ? 1 : 2);
    const num = () => {
      let s = '';
      while (j < this.p.length && this.p[j] >= '0' && this.p[j] <= '9') s += this.p[j++];
      return s;
    };
    const a = num();
    let b: string | undefined = a;
    if (this.p[j] === ',') {
      j++;
      b = num();
    }
    const closeOk = ere ? this.p[j] === '}' : this.p[j] === '\\' && this.p[j + 1] === '}';
    const rest = () => this.p.slice(this.i).join('');
    if (!closeOk) {
      if (ere) return null;
      throw new ParseError(rest().includes('\\}') ? 'Invalid content of \\{\\}' : 'Unmatched \\{');
    }
    // `{}` and `{,}` are not intervals; `{,n}` is (GNU: 0 to n).
    if (a === '' && (b === a || b === '')) {
      if (ere) return null;
      throw new ParseError('Invalid content of \\{\\}');
    }
    j += ere ? 1 : 2;
    const min = a === '' ? 0 : Number(a);
    const max = b === '' ? -1 : Number(b);
    if (min > GNU_DUP_MAX || max > GNU_DUP_MAX) throw new ParseError('Regular expression too big');
    if (max !== -1 && max < min) throw new ParseError('Invalid content of \\{\\}');
    return { min, max, len: j - this.i };
  }

  private repeats(atom: Node): Node {
    for (;;) {
      const c = this.peek();
      if (c === '*') {
        this.i++;
        atom = { t: 'rep', node: atom, min: 0, max: -1 };
      } else if (this.ere && (c === '+' || c === '?')) {
        this.i++;
        atom = { t: 'rep', node: atom, min: c === '+' ? 1 : 0, max: c === '+' ? -1 : 1 };
      } else if (!this.ere && c === '\\' && (this.peek(1) === '+' || this.peek(1) === '?')) {
        const plus = this.peek(1) === '+';
        this.i += 2;
        atom = { t: 'rep', node: atom, min: plus ? 1 : 0, max: plus ? -1 : 1 };
      } else if ((this.ere && c === '{') || (!this.ere && c === '\\' && this.peek(1) === '{')) {
        const iv = this.interval(this.ere);
        if (!iv) return atom;
        this.i += iv.len;
        atom = { t: 'rep', node: atom, min: iv.min, max: iv.max };
      } else return atom;
    }
  }

  private bracket(): Node {
    const unmatched = 'Unmatched [, [^, [:, [., or [=';
    const startAt = this.i;
    let j = this.i + 1;
    let neg = false;
    if (this.p[j] === '^') {
      neg = true;
      j++;
    }
    const ranges: number[] = [];
    let firstItem = true;
    const items: number[] = [];
    for (;;) {
      if (j >= this.p.length) throw new ParseError(unmatched);
      const c = this.p[j];
      if (c === ']' && !firstItem) break;
      firstItem = false;
      let lo: number;
      if (c === '[' && (this.p[j + 1] === ':' || this.p[j + 1] === '=' || this.p[j + 1] === '.')) {
        const kind = this.p[j + 1];
        const end = this.p.indexOf(kind, j + 2);
        const close = end >= 0 && this.p[end + 1] === ']' ? end : -1;
        if (close < 0) throw new ParseError(unmatched);
        const name = this.p.slice(j + 2, close).join('');
        j = close + 2;
        if (kind === ':') {
          if (!GNU_CLASS_NAMES.has(name)) throw new ParseError('Invalid character class name');
          ranges.push(...POSIX_CLASSES[name]);
          continue;
        }
        if ([...name].length !== 1) throw new ParseError('Invalid collation character');
        lo = cp(name);
      } else {
        lo = cp(c);
        j++;
      }
      if (this.p[j] === '-' && this.p[j + 1] !== undefined && this.p[j + 1] !== ']') {
        let hiCh = this.p[j + 1];
        j += 2;
        if (hiCh === '[' && (this.p[j] === '.' || this.p[j] === '=')) {
          const kind = this.p[j];
          const end = this.p.indexOf(kind, j + 1);
          if (end < 0 || this.p[end + 1] !== ']') throw new ParseError(unmatched);
          hiCh = this.p.slice(j + 1, end).join('');
          j = end + 2;
        }
        const hi = cp(hiCh);
        if (hi < lo) throw new ParseError('Invalid range end');
        ranges.push(lo, hi);
      } else {
        ranges.push(lo, lo);
        items.push(lo);
      }
    }
    const body = this.p.slice(startAt + 1, j).join('');
    // grep's dfa.c: `[:space:]` alone is almost always a mistake for `[[:space:]]`.
    if (/^:[a-z]+:$/.test(body) && GNU_CLASS_NAMES.has(body.slice(1, -1))) throw new ParseError(`character class syntax is [[${body}]], not [${body}]`);
    this.i = j + 1;
    // A bracket never matches the newline that ends a line (RE_HAT_LISTS_NOT_NEWLINE).
    return { t: 'set', set: { ranges: neg ? [...ranges, 10, 10] : ranges, preds: [], neg, fold: this.fold } };
  }
}

// ---------------------------------------------------------------------------------------------
// Go regexp/syntax (RE2)

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

class Re2Parser {
  private i = 0;
  private readonly p: string[];
  constructor(
    private readonly src: string,
    private readonly initial: Flags,
  ) {
    this.p = [...src];
  }

  private err(code: string, arg: string): never {
    throw new ParseError(`error parsing regexp: ${code}: \`${arg}\``);
  }

  parse(): Node {
    const n = this.alt(0, { ...this.initial });
    if (this.i < this.p.length) this.err('unexpected )', this.src);
    return n;
  }

  private alt(depth: number, flags: Flags): Node {
    if (depth > MAX_DEPTH) this.err('expression nests too deeply', this.src);
    const items = [this.branch(depth, flags)];
    while (this.p[this.i] === '|') {
      this.i++;
      items.push(this.branch(depth, flags));
    }
    return items.length === 1 ? items[0] : { t: 'alt', items };
  }

  private branch(depth: number, flags: Flags): Node {
    const items: Node[] = [];
    let lastRepeatAt = -1;
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      const c = this.p[this.i];
      const rep = this.repeatOp();
      if (rep) {
        const opText = this.p.slice(this.i, this.i + rep.len).join('');
        if (lastRepeatAt >= 0) this.err('invalid nested repetition operator', this.p.slice(lastRepeatAt, this.i + rep.len).join(''));
        if (!items.length) this.err('missing argument to repetition operator', opText);
        if (rep.bad) this.err('invalid repeat count', opText);
        lastRepeatAt = this.i;
        this.i += rep.len;
        if (this.p[this.i] === '?') this.i++; // non-greedy: the same language
        const node: Node = { t: 'rep', node: items.pop()!, min: rep.min, max: rep.max, counted: this.p[lastRepeatAt] === '{' };
        // Go's repeatIsValid: nested counted repetitions may not multiply past 1000.
        if (node.counted && (rep.min >= 2 || rep.max >= 2) && !repeatIsValid(node, RE2_MAX_REPEAT)) this.err('invalid repeat count', opText);
        items.push(node);
        continue;
      }
      lastRepeatAt = -1;
      if (c === '(') {
        const g = this.group(depth, flags);
        if (g) items.push(g);
        continue;
      }
      items.push(this.atom(flags));
    }
    return items.length === 1 ? items[0] : { t: 'cat', items };
  }

  private repeatOp(): { min: number; max: number; len: number; bad?: boolean } | null {
    const c = this.p[this.i];
    if (c === '*') return { min: 0, max: -1, len: 1 };
    if (c === '+') return { min: 1, max: -1, len: 1 };
    if (c === '?') return { min: 0, max: 1, len: 1 };
    if (c !== '{') return null;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i, this.i + 24).join(''));
    if (!m) return null;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
    const bad = min > RE2_MAX_REPEAT || max > RE2_MAX_REPEAT || (max !== -1 && max < min);
    return { min, max, len: m[0].length, bad };
  }

  /** `(` … `)`, `(?:…)`, `(?P<name>…)`, `(?flags)`; null for a bare flag group (flags changed in place). */
  private group(depth: number, flags: Flags): Node | null {
    const open = this.i;
    this.i++;
    let inner: Flags = { ...flags };
    if (this.p[this.i] === '?') {
      const rest = this.p.slice(this.i).join('');
      const named = /^\?P?<([^>]*)>/.exec(rest);
      if (named && (rest.startsWith('?P<') || rest.startsWith('?<'))) {
        if (!/^[A-Za-z0-9_]+$/.test(named[1])) this.err('invalid named capture', this.p.slice(open, this.i + named[0].length).join(''));
        this.i += named[0].length;
      } else {
        let j = this.i + 1;
        let neg = false;
        const f = { ...flags };
        let sawFlag = false;
        for (;;) {
          const c = this.p[j];
          if (c === undefined) this.err('missing closing )', this.src);
          if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
            if (c !== 'U') f[c] = !neg;
            sawFlag = true;
            j++;
          } else if (c === '-' && !neg) {
            neg = true;
            sawFlag = false;
            j++;
          } else if (c === ')' || c === ':') {
            if (neg && !sawFlag) this.err('invalid or unsupported Perl syntax', this.p.slice(open, j + 1).join(''));
            if (c === ')') {
              Object.assign(flags, f);
              this.i = j + 1;
              return null;
            }
            inner = f;
            this.i = j + 1;
            break;
          } else this.err('invalid or unsupported Perl syntax', this.p.slice(open, j + 1).join(''));
        }
      }
    }
    const node = this.alt(depth + 1, inner);
    if (this.p[this.i] !== ')') this.err('missing closing )', this.src);
    this.i++;
    return node;
  }

  private atom(flags: Flags): Node {
    const c = this.p[this.i];
    if (c === '.') {
      this.i++;
      return flags.s ? { t: 'set', set: { ranges: [], preds: [], neg: true, fold: false } } : anyBut(10);
    }
    if (c === '^') {
      this.i++;
      return { t: 'assert', kind: flags.m ? 'bol' : 'bot' };
    }
    if (c === '$') {
      this.i++;
      return { t: 'assert', kind: flags.m ? 'eol' : 'eot' };
    }
    if (c === '[') return this.cls(flags);
    if (c === '\\') {
      const n = this.p[this.i + 1];
      if (n === 'A' || n === 'z' || n === 'b' || n === 'B') {
        this.i += 2;
        return { t: 'assert', kind: n === 'A' ? 'bot' : n === 'z' ? 'eot' : n === 'b' ? 'wordb' : 'nwordb' };
      }
      if (n === 'Q') {
        let j = this.i + 2;
        const items: Node[] = [];
        for (; j < this.p.length; j++) {
          if (this.p[j] === '\\' && this.p[j + 1] === 'E') break;
          items.push(lit(cp(this.p[j]), flags.i));
        }
        this.i = j < this.p.length ? j + 2 : j;
        return { t: 'cat', items };
      }
      const cls = this.classEscape(flags);
      if (cls) return { t: 'set', set: cls };
      return lit(this.escape(), flags.i);
    }
    this.i++;
    return lit(cp(c), flags.i);
  }

  /** `\d \s \w` (and negations), `\pL`, `\p{Greek}`; null when the escape is not a class. */
  private classEscape(flags: Flags): CharSet | null {
    const n = this.p[this.i + 1];
    if (n !== undefined && PERL_CLASSES[n]) {
      this.i += 2;
      return { ...PERL_CLASSES[n], preds: [], fold: flags.i };
    }
    if (n !== 'p' && n !== 'P') return null;
    const start = this.i;
    let name: string;
    if (this.p[this.i + 2] === '{') {
      const close = this.p.indexOf('}', this.i + 3);
      if (close < 0) this.err('invalid character class range', this.p.slice(start).join(''));
      name = this.p.slice(this.i + 3, close).join('');
      this.i = close + 1;
    } else {
      if (this.p[this.i + 2] === undefined) this.err('invalid character class range', this.p.slice(start).join(''));
      name = this.p[this.i + 2];
      this.i += 3;
    }
    let neg = n === 'P';
    if (name.startsWith('^')) {
      neg = !neg;
      name = name.slice(1);
    }
    const re = unicodeClass(name);
    if (!re) this.err('invalid character class range', this.p.slice(start, this.i).join(''));
    return { ranges: [], preds: [(c) => re.test(String.fromCodePoint(c))], neg, fold: flags.i };
  }

  /** A single-character escape (after `\`): punctuation, `\n \t …`, octal, `\x41`, `\x{263a}`. */
  private escape(): number {
    const start = this.i;
    const n = this.p[this.i + 1];
    if (n === undefined) this.err('trailing backslash at end of expression', '');
    this.i += 2;
    const c = cp(n);
    if (c < 128 && !/[A-Za-z0-9]/.test(n)) return c;
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (simple[n] !== undefined) return simple[n];
    if (n >= '0' && n <= '7') {
      // A single non-zero digit would be a back-reference: not supported (Go: invalid escape).
      if (n !== '0' && !(this.p[this.i] >= '0' && this.p[this.i] <= '7')) this.err('invalid escape sequence', this.p.slice(start, this.i).join(''));
      let v = Number(n);
      for (let k = 0; k < 2 && this.p[this.i] >= '0' && this.p[this.i] <= '7'; k++) v = v * 8 + Number(this.p[this.i++]);
      return v;
    }
    if (n === 'x') {
      if (this.p[this.i] === '{') {
        const close = this.p.indexOf('}', this.i + 1);
        const hex = close < 0 ? '' : this.p.slice(this.i + 1, close).join('');
        if (close < 0 || !/^[0-9A-Fa-f]+$/.test(hex) || parseInt(hex, 16) > 0x10ffff) this.err('invalid escape sequence', this.p.slice(start, close < 0 ? this.p.length : close + 1).join(''));
        this.i = close + 1;
        return parseInt(hex, 16);
      }
      const hex = this.p.slice(this.i, this.i + 2).join('');
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) this.err('invalid escape sequence', this.p.slice(start, this.i + Math.min(2, hex.length)).join(''));
      this.i += 2;
      return parseInt(hex, 16);
    }
    return this.err('invalid escape sequence', `\\${n}`);
  }

  private cls(flags: Flags): Node {
    const start = this.i;
    let j = this.i + 1;
    let neg = false;
    if (this.p[j] === '^') {
      neg = true;
      j++;
    }
    const set: CharSet = { ranges: [], preds: [], neg, fold: flags.i };
    let first = true;
    const missing = () => this.err('missing closing ]', this.p.slice(start).join(''));
    const single = (): number => {
      if (j >= this.p.length) missing();
      if (this.p[j] === '\\') {
        this.i = j;
        const v = this.escape();
        j = this.i;
        return v;
      }
      return cp(this.p[j++]);
    };
    for (;;) {
      if (j >= this.p.length) missing();
      const c = this.p[j];
      if (c === ']' && !first) break;
      first = false;
      if (c === '[' && this.p[j + 1] === ':') {
        const close = this.p.slice(j).join('').indexOf(':]');
        if (close > 1) {
          const raw = this.p.slice(j, j + [...this.p.slice(j).join('').slice(0, close + 2)].length).join('');
          let name = raw.slice(2, -2);
          const negated = name.startsWith('^');
          if (negated) name = name.slice(1);
          const r = POSIX_CLASSES[name];
          if (!r) this.err('invalid character class range', raw);
          set.preds.push(negated ? (x) => !inRanges(r, x) : (x) => inRanges(r, x));
          j += [...raw].length;
          continue;
        }
      }
      if (c === '\\') {
        this.i = j;
        const pc = this.classEscape(flags);
        if (pc) {
          j = this.i;
          set.preds.push(pc.neg ? (x) => !inSet({ ...pc, neg: false }, x) : (x) => inSet(pc, x));
          continue;
        }
      }
      const loStart = j;
      const lo = single();
      if (this.p[j] === '-' && this.p[j + 1] !== undefined && this.p[j + 1] !== ']') {
        j++;
        const hi = single();
        if (hi < lo) this.err('invalid character class range', this.p.slice(loStart, j).join(''));
        set.ranges.push(lo, hi);
      } else set.ranges.push(lo, lo);
    }
    this.i = j + 1;
    return { t: 'set', set };
  }
}

function repeatIsValid(n: Node, limit: number): boolean {
  if (n.t === 'rep' && n.counted) {
    let m = n.max;
    if (m === 0) return true;
    if (m < 0) m = n.min;
    if (m > limit) return false;
    if (m > 0) limit = Math.floor(limit / m);
  }
  if (n.t === 'rep' || n.t === 'group') return repeatIsValid(n.node, limit);
  if (n.t === 'cat' || n.t === 'alt') return n.items.every((x) => repeatIsValid(x, limit));
  return true;
}

function inRanges(r: number[], c: number): boolean {
  for (let i = 0; i < r.length; i += 2) if (c >= r[i] && c <= r[i + 1]) return true;
  return false;
}

/** Go's unicode tables by name (categories and scripts), through the JS engine's property escapes. */
function unicodeClass(name: string): RegExp | null {
  if (!/^[A-Za-z_]+$/.test(name)) return null;
  if (name === 'Any') return /^[\s\S]$/u;
  for (const src of [`^\\p{General_Category=${name}}$`, `^\\p{Script=${name}}$`]) {
    try {
      return new RegExp(src, 'u');
    } catch {
      /* not this kind of name */
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Program and simulation

const OP_SET = 0;
const OP_SPLIT = 1;
const OP_JMP = 2;
const OP_ASSERT = 3;
const OP_MATCH = 4;

interface Program {
  op: number[];
  x: number[];
  y: number[];
  sets: (CharSet | undefined)[];
  asserts: (AssertKind | undefined)[];
}

function sizeOf(n: Node): number {
  switch (n.t) {
    case 'set':
    case 'assert':
    case 'backref':
      return 1;
    case 'group':
      return sizeOf(n.node);
    case 'cat':
      return n.items.reduce((a, b) => a + sizeOf(b), 0);
    case 'alt':
      return n.items.reduce((a, b) => a + sizeOf(b) + 2, 0);
    case 'rep': {
      // What emit writes: min copies, then a loop (split, body, jmp) or max-min optional copies (split, body).
      const body = sizeOf(n.node);
      return body * n.min + (n.max === -1 ? body + 2 : (body + 1) * (n.max - n.min));
    }
  }
}

function emit(n: Node, prog: Program): void {
  const push = (op: number, x = 0, y = 0, set?: CharSet, kind?: AssertKind) => {
    prog.op.push(op);
    prog.x.push(x);
    prog.y.push(y);
    prog.sets.push(set);
    prog.asserts.push(kind);
    return prog.op.length - 1;
  };
  switch (n.t) {
    case 'set':
      push(OP_SET, 0, 0, n.set);
      return;
    case 'assert':
      push(OP_ASSERT, 0, 0, undefined, n.kind);
      return;
    case 'group':
      emit(n.node, prog);
      return;
    case 'backref':
      // Not regular: such programs are never run by the NFA (Regex.backtrack runs the tree).
      push(OP_ASSERT, 0, 0, undefined, 'bot');
      return;
    case 'cat':
      for (const it of n.items) emit(it, prog);
      return;
    case 'alt': {
      const jumps: number[] = [];
      n.items.forEach((it, k) => {
        if (k < n.items.length - 1) {
          const split = push(OP_SPLIT);
          prog.x[split] = split + 1;
          emit(it, prog);
          jumps.push(push(OP_JMP));
          prog.y[split] = prog.op.length;
        } else emit(it, prog);
      });
      for (const j of jumps) prog.x[j] = prog.op.length;
      return;
    }
    case 'rep': {
      for (let k = 0; k < n.min; k++) emit(n.node, prog);
      if (n.max === -1) {
        const split = push(OP_SPLIT);
        prog.x[split] = split + 1;
        emit(n.node, prog);
        push(OP_JMP, split);
        prog.y[split] = prog.op.length;
        return;
      }
      const splits: number[] = [];
      for (let k = n.min; k < n.max; k++) {
        const split = push(OP_SPLIT);
        prog.x[split] = split + 1;
        splits.push(split);
        emit(n.node, prog);
      }
      for (const s of splits) prog.y[s] = prog.op.length;
      return;
    }
  }
}

/** One compiled expression; all methods run in O(text length × program size). */
export class Regex {
  private readonly isWord: (c: number) => boolean;
  constructor(
    private readonly prog: Program,
    flavor: RegexFlavor,
    /** The tree, when it has back-references and must be matched by backtracking. */
    private readonly tree?: Node,
    private readonly budget = Infinity,
  ) {
    this.isWord = flavor === 're2' ? isAsciiWord : isUniWord;
  }

  /** Work done so far by all matches (see RegexOptions.budget). */
  private work = 0;

  get size(): number {
    return this.prog.op.length;
  }

  private spend(n: number): void {
    this.work += n;
    if (this.work > this.budget) throw new RegexBudgetExceeded();
  }

  /** Does the expression match somewhere in `text` (grep's line test, Go's MatchString)? */
  test(text: string): boolean {
    return this.run([...text].map(cp), 0, 'any') !== null;
  }

  /** Does it match all of `text` (Envoy's RE2::FullMatch)? */
  fullMatch(text: string): boolean {
    return this.run([...text].map(cp), 0, 'full') !== null;
  }

  /** The leftmost-longest match at or after code point `from`, as POSIX (and grep -o) choose it. */
  search(chars: number[], from = 0): { start: number; end: number } | null {
    return this.run(chars, from, 'longest');
  }

  private assertOk(kind: AssertKind, s: number[], i: number): boolean {
    const prev = i > 0 ? s[i - 1] : -1;
    const next = i < s.length ? s[i] : -1;
    const pw = prev >= 0 && this.isWord(prev);
    const nw = next >= 0 && this.isWord(next);
    switch (kind) {
      case 'bot':
        return i === 0;
      case 'eot':
        return i === s.length;
      case 'bol':
        return i === 0 || prev === 10;
      case 'eol':
        return i === s.length || next === 10;
      case 'wordb':
        return pw !== nw;
      case 'nwordb':
        return pw === nw;
      case 'wbeg':
        return !pw && nw;
      case 'wend':
        return pw && !nw;
      case 'nwbefore':
        return !pw;
      case 'nwafter':
        return !nw;
    }
  }

  /**
   * Backtracking over the tree, for patterns with back-references (glibc's regexec does the same):
   * every assignment of the groups is tried, so the answer is exact; the work is counted and
   * bounded by BACKTRACK_BUDGET steps and BACKTRACK_DEPTH nested calls.
   */
  private backtrack(root: Node, s: number[], from: number, mode: 'any' | 'full' | 'longest'): { start: number; end: number } | null {
    let steps = 0;
    let depth = 0;
    const caps: ([number, number] | undefined)[] = [];
    const same = (a: number, b: number, fold: boolean) => a === b || (fold && String.fromCodePoint(a).toLowerCase() === String.fromCodePoint(b).toLowerCase());
    const m = (n: Node, i: number, k: (i: number) => boolean): boolean => {
      if (++steps > BACKTRACK_BUDGET || ++depth > BACKTRACK_DEPTH) throw new RegexBudgetExceeded();
      this.spend(1);
      try {
        switch (n.t) {
          case 'set':
            return i < s.length && setMatches(n.set, s[i]) && k(i + 1);
          case 'assert':
            return this.assertOk(n.kind, s, i) && k(i);
          case 'cat': {
            const go = (j: number, at: number): boolean => (at === n.items.length ? k(j) : m(n.items[at], j, (j2) => go(j2, at + 1)));
            return go(i, 0);
          }
          case 'alt':
            return n.items.some((it) => m(it, i, k));
          case 'rep': {
            // An iteration that matched nothing cannot repeat (it would loop forever).
            const go = (count: number, j: number): boolean =>
              ((n.max === -1 || count < n.max) && m(n.node, j, (j2) => (j2 !== j || count < n.min) && go(count + 1, j2))) || (count >= n.min && k(j));
            return go(0, i);
          }
          case 'group': {
            const saved = caps[n.idx];
            const ok = m(n.node, i, (j) => {
              const prev = caps[n.idx];
              caps[n.idx] = [i, j];
              if (k(j)) return true;
              caps[n.idx] = prev;
              return false;
            });
            caps[n.idx] = saved;
            return ok;
          }
          case 'backref': {
            const c = caps[n.idx];
            if (!c) return false;
            const len = c[1] - c[0];
            if (i + len > s.length) return false;
            for (let q = 0; q < len; q++) if (!same(s[c[0] + q], s[i + q], n.fold)) return false;
            return k(i + len);
          }
        }
      } finally {
        depth--;
      }
    };
    if (mode === 'full') return m(root, from, (j) => j === s.length) ? { start: from, end: s.length } : null;
    for (let start = from; start <= s.length; start++) {
      if (mode === 'any') {
        if (m(root, start, () => true)) return { start, end: start };
        continue;
      }
      let best = -1;
      m(root, start, (j) => {
        if (j > best) best = j;
        return false;
      });
      if (best >= 0) return { start, end: best };
    }
    return null;
  }

  /**
   * Thompson simulation over code points. Threads are kept in order of their start position and a
   * state is held by one thread at most (the earliest start), so a step costs O(program).
   */
  private run(s: number[], from: number, mode: 'any' | 'full' | 'longest'): { start: number; end: number } | null {
    if (this.tree) return this.backtrack(this.tree, s, from, mode);
    const { op, x, y, sets, asserts } = this.prog;
    const n = op.length;
    let cur: number[] = [];
    let curStart: number[] = [];
    let next: number[] = [];
    let nextStart: number[] = [];
    const mark = new Int32Array(n).fill(-1);
    let gen = 0;
    const stack: number[] = [];
    let best: { start: number; end: number } | null = null;
    const add = (list: number[], starts: number[], pc0: number, start: number, i: number) => {
      stack.push(pc0);
      while (stack.length) {
        const pc = stack.pop()!;
        if (mark[pc] === gen) continue;
        mark[pc] = gen;
        const o = op[pc];
        if (o === OP_JMP) stack.push(x[pc]);
        else if (o === OP_SPLIT) stack.push(y[pc], x[pc]);
        else if (o === OP_ASSERT) {
          if (this.assertOk(asserts[pc]!, s, i)) stack.push(pc + 1);
        } else {
          list.push(pc);
          starts.push(start);
        }
      }
    };
    // The program ends with MATCH at index n - 1.
    for (let i = from; i <= s.length; i++) {
      gen++;
      // Re-mark this step's threads so a new start never displaces an earlier one.
      for (const pc of cur) mark[pc] = gen;
      if (best === null && (mode !== 'full' || i === from)) add(cur, curStart, 0, i, i);
      if (!cur.length) {
        if (best !== null || mode === 'full') break;
        continue;
      }
      next = [];
      nextStart = [];
      gen++;
      const c = i < s.length ? s[i] : -1;
      this.spend(cur.length);
      for (let k = 0; k < cur.length; k++) {
        const pc = cur[k];
        const st = curStart[k];
        if (best !== null && st > best.start) continue;
        if (op[pc] === OP_MATCH) {
          if (mode === 'any') return { start: st, end: i };
          if (mode === 'full') {
            if (i === s.length) return { start: st, end: i };
            continue;
          }
          if (best === null || st < best.start || (st === best.start && i > best.end)) best = { start: st, end: i };
          continue;
        }
        if (c >= 0 && setMatches(sets[pc]!, c)) add(next, nextStart, pc + 1, st, i + 1);
      }
      cur = next;
      curStart = nextStart;
    }
    return best;
  }
}

function finish(ast: Node, flavor: RegexFlavor, backrefs = false, budget?: number): Regex | string {
  const root = ast;
  if (sizeOf(root) + 1 > MAX_PROGRAM) return flavor === 're2' ? 'too large' : 'Regular expression too big';
  const prog: Program = { op: [], x: [], y: [], sets: [], asserts: [] };
  emit(root, prog);
  prog.op.push(OP_MATCH);
  prog.x.push(0);
  prog.y.push(0);
  prog.sets.push(undefined);
  prog.asserts.push(undefined);
  return new Regex(prog, flavor, backrefs ? root : undefined, budget);
}

export interface GnuOptions extends RegexOptions {
  /** grep -w: the match must not be preceded or followed by a word constituent. */
  word?: boolean;
  /** grep -x: the match must be the whole line. */
  line?: boolean;
}

/** Any of grep's patterns, as a whole line (-x) or between non-word characters (-w). */
function grepBody(alts: Node[], opts: GnuOptions): Node {
  const body: Node = alts.length === 1 ? alts[0] : { t: 'alt', items: alts };
  if (opts.line) return { t: 'cat', items: [{ t: 'assert', kind: 'bol' }, body, { t: 'assert', kind: 'eol' }] };
  if (opts.word) return { t: 'cat', items: [{ t: 'assert', kind: 'nwbefore' }, body, { t: 'assert', kind: 'nwafter' }] };
  return body;
}

/**
 * Compile GNU grep patterns (one per line of `patterns`, any of them may match) in BRE or ERE
 * syntax. Errors are glibc's messages (GNU grep prints `grep: MESSAGE`).
 */
export function compileGnu(patterns: string[], flavor: 'bre' | 'ere', opts: GnuOptions = {}): CompileResult {
  const warnings: string[] = [];
  const alts: Node[] = [];
  let backrefs = false;
  try {
    for (const p of patterns) {
      const parser = new GnuParser(p, flavor === 'ere', !!opts.ignoreCase);
      alts.push(parser.parse());
      warnings.push(...parser.warnings);
      backrefs ||= parser.hasBackrefs;
    }
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.message };
    throw e;
  }
  const r = finish(grepBody(alts, opts), flavor, backrefs, opts.budget);
  return typeof r === 'string' ? { ok: false, error: r } : { ok: true, regex: r, warnings };
}

/** A grep -F pattern list as a compiled expression (each pattern a literal string). */
export function compileFixed(patterns: string[], opts: GnuOptions = {}): CompileResult {
  const alts: Node[] = patterns.map((p) => ({ t: 'cat', items: [...p].map((c) => lit(cp(c), !!opts.ignoreCase)) }));
  const r = finish(grepBody(alts, opts), 'ere', false, opts.budget);
  return typeof r === 'string' ? { ok: false, error: r } : { ok: true, regex: r, warnings: [] };
}

/**
 * Compile a Go regexp (regexp.Compile: RE2 syntax with Perl flags). The error is Go's
 * `(*syntax.Error).Error()`: `error parsing regexp: CODE: `EXPR``.
 */
export function compileRe2(pattern: string, opts: RegexOptions = {}): CompileResult {
  let ast: Node;
  try {
    ast = new Re2Parser(pattern, { i: !!opts.ignoreCase, m: false, s: false }).parse();
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.message };
    throw e;
  }
  const r = finish(ast, 're2');
  return typeof r === 'string' ? { ok: false, error: `error parsing regexp: expression too large: \`${pattern}\`` } : { ok: true, regex: r, warnings: [] };
}
