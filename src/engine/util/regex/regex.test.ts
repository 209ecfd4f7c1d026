import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileFixed, compileGnu, compileRe2, MAX_PROGRAM, RegexBudgetExceeded, type Regex } from './index';

const gnu = (p: string, flavor: 'bre' | 'ere' = 'ere', o = {}): Regex => {
  const r = compileGnu([p], flavor, o);
  if (!r.ok) throw new Error(r.error);
  return r.regex;
};
const re2 = (p: string): Regex => {
  const r = compileRe2(p);
  if (!r.ok) throw new Error(r.error);
  return r.regex;
};
const gnuError = (p: string, flavor: 'bre' | 'ere' = 'ere') => {
  const r = compileGnu([p], flavor);
  return r.ok ? null : r.error;
};
const re2Error = (p: string) => {
  const r = compileRe2(p);
  return r.ok ? null : r.error;
};
const longest = (re: Regex, s: string) => {
  const chars = [...s].map((c) => c.codePointAt(0)!);
  const m = re.search(chars);
  return m && String.fromCodePoint(...chars.slice(m.start, m.end));
};

describe('GNU grep syntax (BRE/ERE)', () => {
  it('ERE operators, classes, anchors and intervals', () => {
    expect(gnu('a|c').test('xcx')).toBe(true);
    expect(gnu('^(ab)+$').test('ababab')).toBe(true);
    expect(gnu('^(ab)+$').test('ababa')).toBe(false);
    expect(gnu('^a{2,3}$').test('aaa')).toBe(true);
    expect(gnu('^a{2,3}$').test('aaaa')).toBe(false);
    expect(gnu('^a{,2}$').test('aa')).toBe(true);
    expect(gnu('[[:digit:]]+').test('port 80')).toBe(true);
    expect(gnu('[^[:space:]]').test('   ')).toBe(false);
    expect(gnu('[]x]').test(']')).toBe(true);
    expect(gnu('\\bweb\\b').test('a web pod')).toBe(true);
    expect(gnu('\\<eb').test('web')).toBe(false);
    expect(gnu('\\w+\\s').test('ab c')).toBe(true);
    // An invalid ERE interval is a literal `{` (RE_INVALID_INTERVAL_ORD); a leading `*` repeats nothing.
    expect(gnu('a{1').test('a{1')).toBe(true);
    expect(gnu('*a').test('a')).toBe(true);
  });

  it('BRE: \\( \\) \\{ \\} \\| \\+ \\? are the operators, ( ) { } | + ? literals', () => {
    expect(gnu('\\(ab\\)\\{2\\}', 'bre').test('abab')).toBe(true);
    expect(gnu('a|b', 'bre').test('a|b')).toBe(true);
    expect(gnu('a|b', 'bre').test('a')).toBe(false);
    expect(gnu('a\\|b', 'bre').test('b')).toBe(true);
    expect(gnu('ab\\+c', 'bre').test('abbbc')).toBe(true);
    expect(gnu('a+', 'bre').test('a+')).toBe(true);
    expect(gnu('*a', 'bre').test('*a')).toBe(true);
    expect(gnu('^*', 'bre').test('*x')).toBe(true);
    expect(gnu('a$b', 'bre').test('a$b')).toBe(true);
    expect(gnu('x^', 'bre').test('x^')).toBe(true);
  });

  it('-i, -w and -x', () => {
    expect(gnu('WEB', 'bre', { ignoreCase: true }).test('web-1')).toBe(true);
    expect(gnu('[a-c]', 'bre', { ignoreCase: true }).test('B')).toBe(true);
    expect(gnu('web', 'bre', { word: true }).test('web-1')).toBe(true);
    expect(gnu('web', 'bre', { word: true }).test('webapp')).toBe(false);
    expect(gnu('web', 'bre', { line: true }).test('web-1')).toBe(false);
    expect(gnu('web.*', 'bre', { line: true }).test('web-1')).toBe(true);
  });

  it('glibc error messages', () => {
    expect(gnuError('(')).toBe('Unmatched ( or \\(');
    expect(gnuError(')')).toBe('Unmatched ) or \\)');
    expect(gnuError('\\(', 'bre')).toBe('Unmatched ( or \\(');
    expect(gnuError('[a')).toBe('Unmatched [, [^, [:, [., or [=');
    expect(gnuError('[[:foo:]]')).toBe('Invalid character class name');
    expect(gnuError('[z-a]')).toBe('Invalid range end');
    expect(gnuError('a\\')).toBe('Trailing backslash');
    expect(gnuError('a{2,1}')).toBe('Invalid content of \\{\\}');
    expect(gnuError('a\\{1', 'bre')).toBe('Unmatched \\{');
    expect(gnuError('a{32768}')).toBe('Regular expression too big');
    expect(gnuError('[:space:]')).toBe('character class syntax is [[:space:]], not [:space:]');
    expect(gnuError('(a)\\2')).toBe('Invalid back reference');
    expect(gnuError('(a\\1)')).toBe('Invalid back reference');
    expect(compileGnu(['a\\-b'], 'ere')).toMatchObject({ ok: true, warnings: ['stray \\ before -'] });
  });

  it('leftmost-longest matches, as grep -o prints them', () => {
    expect(longest(gnu('a|ab|abc'), 'xabcd')).toBe('abc');
    expect(longest(gnu('[0-9]+'), 'ip 10.0.0.1')).toBe('10');
    expect(longest(gnu('b*'), 'abbb')).toBe('');
  });

  it('-F: every pattern is a literal string', () => {
    const r = compileFixed(['a.b', '(x'], {});
    expect(r.ok && r.regex.test('a.b')).toBe(true);
    expect(r.ok && r.regex.test('axb')).toBe(false);
    expect(r.ok && r.regex.test('(x')).toBe(true);
  });
});

describe('back-references (GNU): backtracking, bounded', () => {
  it('match exactly, -i folds the repeated text, -o takes the longest', () => {
    expect(gnu('\\(ab*\\)c\\1', 'bre').test('xabbcabb')).toBe(true);
    expect(gnu('\\(ab*\\)c\\1$', 'bre').test('abbcab')).toBe(false);
    expect(gnu('^(.+)\\1$').test('abcabc')).toBe(true);
    expect(gnu('^(.+)\\1$').test('abcab')).toBe(false);
    expect(gnu('(a)\\1', 'ere', { ignoreCase: true }).test('aA')).toBe(true);
    expect(longest(gnu('([a-z]+)-\\1'), 'x foo-foo-foo')).toBe('foo-foo');
  });

  it('a pattern that would backtrack for ever stops at the budget with RegexBudgetExceeded', () => {
    const re = gnu('^(a*)*\\1b$');
    expect(() => re.test('a'.repeat(200))).toThrow(RegexBudgetExceeded);
  });
});

describe('Go regexp / RE2 syntax', () => {
  it('full match and search', () => {
    expect(re2('/public.*').fullMatch('/public/x')).toBe(true);
    expect(re2('/public').fullMatch('/public/x')).toBe(false);
    expect(re2('GET|HEAD').fullMatch('GET')).toBe(true);
    expect(re2('(?i)get').fullMatch('GET')).toBe(true);
    expect(re2('\\d{3}').test('abc123')).toBe(true);
    expect(re2('^web$').test('web')).toBe(true);
    expect(re2('(?P<x>a)b').fullMatch('ab')).toBe(true);
    expect(re2('\\pL+').fullMatch('Straße')).toBe(true);
    expect(re2('\\p{Greek}').test('λ')).toBe(true);
    expect(re2('[[:alpha:]]+').fullMatch('abc')).toBe(true);
    expect(re2('\\Qa.b\\E').fullMatch('a.b')).toBe(true);
    expect(re2('\\Qa.b\\E').fullMatch('axb')).toBe(false);
    expect(re2('.').test('\n')).toBe(false);
    expect(re2('(?s).').test('\n')).toBe(true);
  });

  it("Go's error messages", () => {
    expect(re2Error('(')).toBe('error parsing regexp: missing closing ): `(`');
    expect(re2Error('a)')).toBe('error parsing regexp: unexpected ): `a)`');
    expect(re2Error('[a')).toBe('error parsing regexp: missing closing ]: `[a`');
    expect(re2Error('*')).toBe('error parsing regexp: missing argument to repetition operator: `*`');
    expect(re2Error('a**')).toBe('error parsing regexp: invalid nested repetition operator: `**`');
    expect(re2Error('a{1001}')).toBe('error parsing regexp: invalid repeat count: `{1001}`');
    expect(re2Error('(a)\\1')).toBe('error parsing regexp: invalid escape sequence: `\\1`');
    expect(re2Error('(?=a)')).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?=`');
    expect(re2Error('[z-a]')).toBe('error parsing regexp: invalid character class range: `z-a`');
    expect(re2Error('a\\')).toBe('error parsing regexp: trailing backslash at end of expression: ``');
    expect(re2Error('\\p{Nope}')).toBe('error parsing regexp: invalid character class range: `\\p{Nope}`');
    expect(re2Error('a{2}{3}')).toBe('error parsing regexp: invalid nested repetition operator: `{2}{3}`');
    expect(re2Error('x{2,')).toBe(null); // not a repeat: a literal `{`
  });

  it('oversized programs are refused, not built', () => {
    // Go's repeatIsValid: nested counts multiply to at most 1000.
    expect(re2Error('(a{100}){20}')).toBe('error parsing regexp: invalid repeat count: `{20}`');
    expect(re2Error('((a|b|c|d|e|f|g|h|i|j){1000}){10}x*')).toBe('error parsing regexp: invalid repeat count: `{10}`');
    expect(re2Error(`(${'[a-z]{1000}'.repeat(30)})`)).toBe(`error parsing regexp: expression too large: \`(${'[a-z]{1000}'.repeat(30)})\``);
    expect(gnuError('((a{1000}){1000})')).toBe('Regular expression too big');
    expect(gnu('a{100}').size).toBeLessThan(MAX_PROGRAM);
  });
});

describe('linear time', () => {
  it('pathological patterns cost steps proportional to the text (no backtracking)', () => {
    // (a+)+$ / (a|a)*b backtrack exponentially in a JS RegExp; here each is one pass over the text.
    const text = 'a'.repeat(5000) + '!';
    expect(gnu('(a+)+$').test(text)).toBe(false);
    expect(gnu('(a|aa)*b').test(text)).toBe(false);
    expect(re2('/(a+)+b').fullMatch('/' + 'a'.repeat(5000))).toBe(false);
  });
});

describe('agrees with JS RegExp on the syntax both share', () => {
  const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '(a|b)', '(ab)');
  const piece = fc.tuple(atom, fc.constantFrom('', '*', '+', '?', '{1,2}')).map(([a, q]) => a + q);
  const pattern = fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
  const text = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 8 }).map((t) => t.join(''));
  it('test and full match', () => {
    fc.assert(
      fc.property(pattern, text, (p, t) => {
        expect(gnu(p).test(t)).toBe(new RegExp(p).test(t));
        expect(re2(p).fullMatch(t)).toBe(new RegExp(`^(?:${p})$`).test(t));
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});
