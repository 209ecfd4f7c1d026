/**
 * A compiled expression: a Thompson-NFA program run as a Pike VM without captures (linear in
 * text × program), or, for back-references, a bounded backtracker over the tree.
 */
import { type RegexFlavor, type CharSet, type AssertKind, type Node, cp, isAsciiWord, isUniWord, setMatches } from './syntax';

/** Steps (and nesting) a back-reference match may take before it counts as never ending. */
export const BACKTRACK_BUDGET = 1_000_000;
const BACKTRACK_DEPTH = 1500;

/** A back-reference match ran past BACKTRACK_BUDGET. */
export class RegexBudgetExceeded extends Error {
  constructor() {
    super('regular expression match exceeded its step budget');
  }
}



export const OP_SET = 0;
export const OP_SPLIT = 1;
export const OP_JMP = 2;
export const OP_ASSERT = 3;
export const OP_MATCH = 4;

export interface Program {
  op: number[];
  x: number[];
  y: number[];
  sets: (CharSet | undefined)[];
  asserts: (AssertKind | undefined)[];
}

export function sizeOf(n: Node): number {
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

export function emit(n: Node, prog: Program): void {
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
