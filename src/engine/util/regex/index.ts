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

import { type RegexFlavor, type RegexOptions, MAX_PROGRAM, type Node, ParseError, cp, lit } from './syntax';
import { GnuParser } from './gnuSyntax';
import { Re2Parser } from './re2Syntax';
import { emit, OP_MATCH, Regex, sizeOf, type Program } from './Regex';

export { Regex, RegexBudgetExceeded, BACKTRACK_BUDGET } from './Regex';
export { MAX_PROGRAM, type RegexFlavor, type RegexOptions } from './syntax';

export type CompileResult = { ok: true; regex: Regex; warnings: string[] } | { ok: false; error: string };

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
