/**
 * POSIX BRE / ERE as GNU grep reads them (glibc regcomp with RE_SYNTAX_GREP / RE_SYNTAX_EGREP,
 * plus grep's dfa.c checks), parsed to the shared tree; errors are glibc's regerror texts.
 */
import { GNU_DUP_MAX, MAX_DEPTH, type Node, ParseError, EMPTY, cp, isUniWord, lit, anyBut, POSIX_CLASSES, GNU_CLASS_NAMES, PERL_CLASSES } from './syntax';

export class GnuParser {
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
