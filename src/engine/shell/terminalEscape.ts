/**
 * What kubectl does so that cluster data cannot drive the user's terminal (kubernetes#112553,
 * CVE-2021-25743): tables and `describe` pass every string through cli-runtime's
 * printers.EscapeTerminal (pkg/printers/terminal.go), which writes ESC as `^[` and CR as `\r`;
 * `-o yaml` is go-yaml v2, which double-quotes a string holding a character it does not consider
 * printable and writes that character as an escape (`\e`, `\x07`, `\u0085` …).
 */

/** cli-runtime's terminalEscaper: strings.NewReplacer("\x1b", "^[", "\r", "\\r"). */
export function escapeTerminal(s: string): string {
  return s.replace(/[\x1b\r]/g, (c) => (c === '\x1b' ? '^[' : '\\r'));
}

/** go-yaml v2 is_printable, per code point (yaml_private.go): tab, C0/C1 controls, DEL, BOM, astral planes are not. */
function yamlPrintable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

/** Would go-yaml v2 have to double-quote this string (yaml_emitter_analyze_scalar's special characters)? */
export function yamlNeedsEscapes(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (!yamlPrintable(c) || c === 0x85 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

const SHORT: Record<number, string> = { 0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P' };

/** go-yaml v2 yaml_emitter_write_double_quoted_scalar (without its line folding at 80 columns). */
export function yamlDoubleQuoted(s: string): string {
  let r = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const isBreak = c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
    if (yamlPrintable(c) && !isBreak && c !== 0x22 && c !== 0x5c && c !== 0xfeff) {
      r += ch;
      continue;
    }
    if (SHORT[c] !== undefined && c !== 0xa0) r += '\\' + SHORT[c];
    else if (c <= 0xff) r += '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
    else if (c <= 0xffff) r += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else r += '\\U' + c.toString(16).toUpperCase().padStart(8, '0');
  }
  return r + '"';
}
