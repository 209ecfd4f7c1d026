/**
 * GNU grep 3.x over the shared linear-time matcher (util/regex.ts): -G/-E/-F syntax, -i, -v, -c,
 * -n, -o, -w, -x, -q, -s, -m, -l/-L, -h/-H, -e/-f, and context (-A/-B/-C/-NUM with `--` between
 * groups — also for a context of 0, as grep.c prints it whenever `0 <= out_before || 0 <=
 * out_after` — changed by --group-separator=SEP or dropped by --no-group-separator; `N-`
 * prefixes on context lines). Options may follow the pattern (GNU permutes argv).
 * Messages are grep.c's; regex errors are glibc's (`grep: Unmatched ( or \(`), exit status 2.
 * Work is O(input × pattern): no pattern makes a line cost more than one pass; a pattern with
 * back-references (`\(a*\)\1`) backtracks as glibc does, bounded, then stops as on Ctrl-C.
 */
import { compileFixed, compileGnu, RegexBudgetExceeded } from '../util/regex';
import { INTERRUPTED, readEach } from './coreutils';
import { fail, out, type Handler } from './types';

/**
 * Matching work one grep may do (NFA thread steps): hundreds of thousands of lines for ordinary
 * patterns; `.{20000}` over a 64 KiB line stops here, as on Ctrl-C, instead of running for minutes.
 */
export const GREP_WORK_BUDGET = 10_000_000;

const USAGE = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.";

interface GrepOpts {
  syntax: 'bre' | 'ere' | 'fixed';
  ignoreCase: boolean;
  invert: boolean;
  count: boolean;
  max?: number;
  onlyMatching: boolean;
  lineNumbers: boolean;
  word: boolean;
  line: boolean;
  quiet: boolean;
  noMessages: boolean;
  filenames?: boolean;
  listMatching?: 'with' | 'without';
  after: number;
  before: number;
  /** A context option was given (even 0): groups are separated. */
  contextSet: boolean;
  /** The line between groups (`--`), null for --no-group-separator. */
  separator: string | null;
}

/** Options that take a value, short and long. */
const SHORT_VALUE = new Set(['A', 'B', 'C', 'm', 'e', 'f']);
const LONG: Record<string, string> = {
  'after-context': 'A',
  'before-context': 'B',
  context: 'C',
  'max-count': 'm',
  regexp: 'e',
  file: 'f',
  'ignore-case': 'i',
  'no-ignore-case': '',
  'invert-match': 'v',
  count: 'c',
  'extended-regexp': 'E',
  'fixed-strings': 'F',
  'basic-regexp': 'G',
  'only-matching': 'o',
  'line-number': 'n',
  'word-regexp': 'w',
  'line-regexp': 'x',
  quiet: 'q',
  silent: 'q',
  'no-messages': 's',
  'with-filename': 'H',
  'no-filename': 'h',
  'files-with-matches': 'l',
  'files-without-match': 'L',
  color: '',
  colour: '',
  // grep.c's GROUP_SEPARATOR_OPTION / NO_GROUP_SEPARATOR_OPTION (long only): handled by name.
  'group-separator': '',
  'no-group-separator': '',
};

/** GNU grep's context_length_arg: a non-negative decimal (huge values saturate). */
function contextLength(v: string): number | null {
  return /^\d+$/.test(v) ? Math.min(Number(v), Number.MAX_SAFE_INTEGER) : null;
}

export const grep: Handler = (args, ctx) => {
  const o: GrepOpts = { syntax: 'bre', ignoreCase: false, invert: false, count: false, onlyMatching: false, lineNumbers: false, word: false, line: false, quiet: false, noMessages: false, after: 0, before: 0, contextSet: false, separator: '--' };
  const rest: string[] = [];
  const patterns: string[] = [];
  let patternGiven = false;
  let stderr = '';
  const apply = (f: string, v: string | undefined): string | null => {
    switch (f) {
      case 'A':
      case 'B':
      case 'C': {
        const n = contextLength(v!);
        if (n === null) return `grep: ${v}: invalid context length argument`;
        if (f !== 'B') o.after = n;
        if (f !== 'A') o.before = n;
        o.contextSet = true;
        return null;
      }
      case 'm':
        if (!/^-?\d+$/.test(v!)) return 'grep: invalid max count';
        // A negative count means no limit (grep 3.x).
        o.max = Number(v) < 0 ? undefined : Number(v);
        return null;
      case 'e':
        patterns.push(...v!.split('\n'));
        patternGiven = true;
        return null;
      case 'f': {
        const files = readEach('grep', [v!], ctx);
        if (files[0].error !== undefined) return files[0].error.replace(/\n$/, '');
        const text = files[0].data;
        patterns.push(...(text === '' ? [] : text.replace(/\n$/, '').split('\n')));
        patternGiven = true;
        return null;
      }
      case 'i':
      case 'y':
        o.ignoreCase = true;
        return null;
      case 'v':
        o.invert = true;
        return null;
      case 'c':
        o.count = true;
        return null;
      case 'E':
        o.syntax = 'ere';
        return null;
      case 'F':
        o.syntax = 'fixed';
        return null;
      case 'G':
        o.syntax = 'bre';
        return null;
      case 'o':
        o.onlyMatching = true;
        return null;
      case 'n':
        o.lineNumbers = true;
        return null;
      case 'w':
        o.word = true;
        return null;
      case 'x':
        o.line = true;
        return null;
      case 'q':
        o.quiet = true;
        return null;
      case 's':
        o.noMessages = true;
        return null;
      case 'H':
        o.filenames = true;
        return null;
      case 'h':
        o.filenames = false;
        return null;
      case 'l':
        o.listMatching = 'with';
        return null;
      case 'L':
        o.listMatching = 'without';
        return null;
      case 'a':
      case 'I':
      case 'U':
        return null;
      default:
        return `grep: invalid option -- '${f}'\n${USAGE}`;
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const matches = Object.keys(LONG).filter((k) => k.startsWith(name));
      const key = LONG[name] !== undefined ? name : matches.length === 1 ? matches[0] : undefined;
      if (key === undefined) return fail(matches.length > 1 ? `grep: option '${a}' is ambiguous\n${USAGE}` : `grep: unrecognized option '${a}'\n${USAGE}`, 2);
      const f = LONG[key];
      if (key === 'group-separator') {
        const v = eq < 0 ? args[++i] : a.slice(eq + 1);
        if (v === undefined) return fail(`grep: option '--${key}' requires an argument\n${USAGE}`, 2);
        o.separator = v;
        continue;
      }
      if (key === 'no-group-separator') {
        if (eq >= 0) return fail(`grep: option '--${key}' doesn't allow an argument\n${USAGE}`, 2);
        o.separator = null;
        continue;
      }
      if (f === '') continue; // --color[=WHEN], --no-ignore-case
      let v: string | undefined = eq < 0 ? undefined : a.slice(eq + 1);
      if (SHORT_VALUE.has(f)) {
        v ??= args[++i];
        if (v === undefined) return fail(`grep: option '--${key}' requires an argument\n${USAGE}`, 2);
      } else if (v !== undefined) return fail(`grep: option '--${key}' doesn't allow an argument\n${USAGE}`, 2);
      const e = apply(f, v);
      if (e) return fail(e, 2);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      const digits = /^-(\d+)/.exec(a);
      let j = 1;
      if (digits) {
        // -NUM is -C NUM.
        o.after = o.before = Number(digits[1]);
        o.contextSet = true;
        j = digits[0].length;
      }
      for (; j < a.length; j++) {
        const f = a[j];
        if (SHORT_VALUE.has(f)) {
          const v = a.length > j + 1 ? a.slice(j + 1) : args[++i];
          if (v === undefined) return fail(`grep: option requires an argument -- '${f}'\n${USAGE}`, 2);
          const e = apply(f, v);
          if (e) return fail(e, 2);
          break;
        }
        const e = apply(f, undefined);
        if (e) return fail(e, 2);
      }
      continue;
    }
    rest.push(a);
  }
  if (!patternGiven) {
    if (rest.length === 0) return fail(USAGE, 2);
    patterns.push(...rest.shift()!.split('\n'));
  }
  const compiled =
    o.syntax === 'fixed'
      ? compileFixed(patterns, { ignoreCase: o.ignoreCase, word: o.word, line: o.line, budget: GREP_WORK_BUDGET })
      : patterns.length === 0
        ? null
        : compileGnu(patterns, o.syntax, { ignoreCase: o.ignoreCase, word: o.word, line: o.line, budget: GREP_WORK_BUDGET });
  if (compiled && !compiled.ok) return fail(`grep: ${compiled.error}`, 2);
  if (compiled) for (const w of compiled.warnings) stderr += `grep: warning: ${w}\n`;
  const re = compiled?.regex;
  const files = readEach('grep', rest.length ? rest : ['-'], ctx);
  const withNames = o.filenames ?? rest.length > 1;
  let stdout = '';
  let anySelected = false;
  let error = false;
  const context = !o.onlyMatching && !o.count && !o.quiet && !o.listMatching && o.contextSet;
  let lastPrinted = -1; // across files, for the `--` separator
  let printedAny = false;
  try {
    for (const file of files) {
      if (file.error !== undefined) {
        error = true;
        if (!o.noMessages) stderr += file.error;
        continue;
      }
      const name = file.name === '-' ? '(standard input)' : file.name;
      const data = file.data;
      const lines = data === '' ? [] : data.replace(/\n$/, '').split('\n');
      const binary = data.includes('\0');
      let selected = 0;
      let afterLeft = 0;
      lastPrinted = -1;
      const emit = (i: number, sep: ':' | '-', text: string) => {
        // A gap between printed lines (or a new file) is marked by a `--` line when context is on.
        if (context && o.separator !== null && printedAny && (lastPrinted === -1 || i > lastPrinted + 1)) stdout += `${o.separator}\n`;
        stdout += (withNames ? name + sep : '') + (o.lineNumbers ? `${i + 1}${sep}` : '') + text + '\n';
        lastPrinted = i;
        printedAny = true;
      };
      for (let i = 0; i < lines.length; i++) {
        if (o.max !== undefined && selected >= o.max) {
          // GNU grep stops reading after NUM selected lines but still prints their trailing context.
          if (afterLeft > 0 && !binary) {
            emit(i, '-', lines[i]);
            afterLeft--;
            continue;
          }
          break;
        }
        const hit = re ? re.test(lines[i]) : false;
        if (hit === o.invert) {
          if (context && afterLeft > 0 && !binary) {
            emit(i, '-', lines[i]);
            afterLeft--;
          }
          continue;
        }
        selected++;
        anySelected = true;
        if (o.quiet) return out('', stderr, 0);
        if (o.count || o.listMatching) continue;
        if (binary) break;
        if (context) for (let b = Math.max(lastPrinted + 1, i - o.before); b < i; b++) emit(b, '-', lines[b]);
        if (o.onlyMatching) {
          if (o.invert || !re) continue;
          const chars = [...lines[i]].map((c) => c.codePointAt(0)!);
          for (let at = 0; at <= chars.length; ) {
            const m = re.search(chars, at);
            if (!m) break;
            if (m.end > m.start) emit(i, ':', String.fromCodePoint(...chars.slice(m.start, m.end)));
            at = m.end > m.start ? m.end : m.start + 1;
          }
        } else emit(i, ':', lines[i]);
        afterLeft = o.after;
      }
      if (o.count) stdout += (withNames ? `${name}:` : '') + `${selected}\n`;
      else if (o.listMatching === 'with' && selected) stdout += `${name}\n`;
      else if (o.listMatching === 'without' && !selected) stdout += `${name}\n`;
      else if (binary && selected && !o.quiet) stdout += `grep: ${name}: binary file matches\n`;
    }
  } catch (e) {
    // Matching that would run for minutes (a runaway back-reference, a huge pattern over a huge
    // line): stopped as the user's Ctrl-C.
    if (e instanceof RegexBudgetExceeded) return out(stdout, stderr + INTERRUPTED.echo, INTERRUPTED.status);
    throw e;
  }
  // An endless device (/dev/zero) is read until the simulated Ctrl-C.
  if (files.some((f) => f.endless)) return out(stdout, stderr + INTERRUPTED.echo, INTERRUPTED.status);
  const status = o.listMatching === 'without' ? (stdout ? 0 : 1) : error && !(o.quiet && anySelected) ? 2 : anySelected ? 0 : 1;
  return out(stdout, stderr, status);
};
