/**
 * Go's regexp/syntax with the Perl flags (regexp.Compile), which RE2 shares, parsed to the shared
 * tree; errors are Go's `error parsing regexp: CODE: `EXPR``.
 */
import { RE2_MAX_REPEAT, MAX_DEPTH, type CharSet, type Node, ParseError, cp, lit, anyBut, POSIX_CLASSES, PERL_CLASSES, inSet, inRanges } from './syntax';

export interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

export class Re2Parser {
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

export function repeatIsValid(n: Node, limit: number): boolean {
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

/** Go's unicode tables by name (categories and scripts), through the JS engine's property escapes. */
export function unicodeClass(name: string): RegExp | null {
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
