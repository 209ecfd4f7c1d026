/**
 * Go's text/tabwriter, which kubectl prints every table and `describe` through: cells are
 * tab-terminated, a column's width is decided per *block* of consecutive lines that have a
 * cell in that column (the recursive `format` of text/tabwriter), cells are padded with
 * spaces to max(minwidth, widest + padding), and a line's last cell is never padded.
 *
 * kubectl get:      minwidth 6, tabwidth 4, padding 3 (cli-runtime printers/tabwriter.go)
 * kubectl describe: minwidth 0, tabwidth 8, padding 2 (kubectl describe PrefixWriter)
 */
import { escapeTerminal } from './terminalEscape';

export interface TabOptions {
  minwidth: number;
  padding: number;
  /** kubectl's printers escape terminal control characters before the tabwriter (terminalEscape.ts). */
  escape?: boolean;
}

export const GET_TABS: TabOptions = { minwidth: 6, padding: 3, escape: true };
export const DESCRIBE_TABS: TabOptions = { minwidth: 0, padding: 2, escape: true };

/** Width as a terminal shows it (code points; the engine prints no wide characters). */
const width = (s: string) => [...s].length;

export function tabwrite(text: string, opt: TabOptions): string {
  if (opt.escape) text = escapeTerminal(text);
  const endsWithNewline = text.endsWith('\n');
  const rawLines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  const lines = rawLines.map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i];
      let s = '';
      cells.forEach((c, j) => {
        s += c;
        // Every cell but the line's last one is tab-terminated and so padded to its column.
        if (j < cells.length - 1 && j < widths.length) s += ' '.repeat(Math.max(0, widths[j] - width(c)));
      });
      out.push(s);
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let w = opt.minwidth;
      for (; t < line1; t++) {
        const cells = lines[t];
        if (column >= cells.length - 1) break;
        w = Math.max(w, width(cells[column]) + opt.padding);
      }
      widths.push(w);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}
