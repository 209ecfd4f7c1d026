/**
 * The shell's parser: one input line → a list of pipelines joined by `;`, `&&`, `||`.
 *
 * It understands what a terminal user types in Kubernetes lessons: single and double quotes,
 * backslash escapes, `$VAR`/`${VAR}` and `$(...)` (expanded later, by the interpreter, since
 * a substitution runs a command), `NAME=value` assignments, `|` pipes, `#` comments, and the
 * redirections `>/dev/null`, `2>/dev/null`, `2>&1` (the only ones that make sense without a
 * filesystem), and here-documents (`cat <<EOF | kubectl apply -f -`, `<<-EOF`, `<<'EOF'`): the
 * body is the lines after the command line up to the delimiter line, as POSIX sh reads them
 * (XCU 2.7.4). Words keep their quoting so the interpreter knows what to expand and split.
 *
 * Errors are values: `{ error }` carries the message bash would print.
 */

/** A piece of a word: literal text, a variable, or a command substitution. */
export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean }
  | { kind: 'subst'; source: string; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

export interface Redirect {
  fd: 0 | 1 | 2;
  /** `/dev/null`, or `&1` / `&2` for fd duplication; for fd 0 the here-document's delimiter. */
  target: string;
  /** A here-document's body (fd 0): what the command reads on its standard input. */
  body?: string;
  /** The delimiter was unquoted: `$VAR` and `$(…)` in the body are expanded. */
  expand?: boolean;
}

export interface SimpleCommand {
  assignments: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
}

export interface Pipeline {
  commands: SimpleCommand[];
}

export interface CommandList {
  /** `op` joins an item to the previous one (the first item's op is ';'). */
  items: { op: ';' | '&&' | '||'; pipeline: Pipeline }[];
}

/**
 * `incomplete`: a here-document's delimiter line has not come yet (the shell prompts `> ` for more).
 * `rest`: lines after the here-documents, for the shell to run next.
 */
export type ParseResult = { ok: true; list: CommandList; rest?: string } | { ok: false; error: string; incomplete?: boolean };

type Token =
  | { t: 'word'; word: Word }
  | { t: 'op'; op: '|' | ';' | '&&' | '||' }
  | { t: 'redir'; fd: 1 | 2; target: string }
  | { t: 'heredoc'; delim: string; strip: boolean; expand: boolean; body?: string };

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads `$(...)` starting after `$(`; returns the inner source and the index after `)`. */
function readSubst(line: string, i: number): { source: string; end: number } | null {
  let depth = 1;
  let j = i;
  let quote: string | null = null;
  while (j < line.length) {
    const c = line[j];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') j++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return { source: line.slice(i, j), end: j + 1 };
    }
    j++;
  }
  return null;
}

function tokenize(line: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  let parts: WordPart[] | null = null;
  const text = (s: string, quoted: boolean) => {
    parts ??= [];
    const last = parts[parts.length - 1];
    if (last && last.kind === 'text' && last.quoted === quoted) last.text += s;
    else parts.push({ kind: 'text', text: s, quoted });
  };
  const flush = () => {
    if (parts) tokens.push({ t: 'word', word: { parts } });
    parts = null;
  };
  /** `$...` at i; returns the new index, or a string error. */
  const dollar = (quoted: boolean): number | string => {
    const next = line[i + 1];
    if (next === '(') {
      const s = readSubst(line, i + 2);
      if (!s) return "syntax error: unexpected end of file (expecting \")\")";
      parts ??= [];
      parts.push({ kind: 'subst', source: s.source, quoted });
      return s.end;
    }
    if (next === '{') {
      const close = line.indexOf('}', i + 2);
      if (close < 0) return 'bad substitution';
      parts ??= [];
      parts.push({ kind: 'var', name: line.slice(i + 2, close), quoted });
      return close + 1;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$#0-9])/.exec(line.slice(i + 1));
    if (!m) {
      text('$', quoted);
      return i + 1;
    }
    parts ??= [];
    parts.push({ kind: 'var', name: m[1], quoted });
    return i + 1 + m[1].length;
  };

  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      flush();
      i++;
    } else if (c === '#' && parts === null) {
      break; // comment to end of line
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) return "unexpected EOF while looking for matching `''";
      text(line.slice(i + 1, close), true);
      i = close + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      parts ??= [];
      while (i < line.length) {
        const d = line[i];
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) {
          text(line[i + 1], true);
          i += 2;
        } else if (d === '$') {
          const r = dollar(true);
          if (typeof r === 'string') return r;
          i = r;
        } else {
          text(d, true);
          i++;
        }
      }
      if (!closed) return 'unexpected EOF while looking for matching `"\'';
    } else if (c === '\\') {
      if (i + 1 < line.length) text(line[i + 1], true);
      i += 2;
    } else if (c === '$') {
      const r = dollar(false);
      if (typeof r === 'string') return r;
      i = r;
    } else if (c === '|' || c === ';' || c === '&') {
      flush();
      const two = line.slice(i, i + 2);
      if (two === '||' || two === '&&') {
        tokens.push({ t: 'op', op: two });
        i += 2;
      } else if (c === '&') {
        // A background job: run it in the foreground (there is no job control here).
        i++;
      } else {
        tokens.push({ t: 'op', op: c as '|' | ';' });
        i++;
      }
    } else if ((c === '>' || ((c === '1' || c === '2') && line[i + 1] === '>')) && (parts === null)) {
      let fd: 1 | 2 = 1;
      if (c !== '>') {
        fd = c === '2' ? 2 : 1;
        i++;
      }
      i++; // past '>'
      if (line[i] === '>') i++;
      while (line[i] === ' ') i++;
      let j = i;
      while (j < line.length && !' \t|;&'.includes(line[j])) j++;
      if (line[i] === '&') {
        j = i + 2;
      }
      const target = line.slice(i, j);
      if (!target) return "syntax error near unexpected token `newline'";
      tokens.push({ t: 'redir', fd, target });
      i = j;
    } else if (c === '<' && line[i + 1] === '<' && parts === null) {
      // A here-document: `<<WORD`, `<<-WORD` (leading tabs stripped), `<<'WORD'` (no expansion).
      i += 2;
      const strip = line[i] === '-';
      if (strip) i++;
      while (line[i] === ' ' || line[i] === '\t') i++;
      let delim = '';
      let quotedDelim = false;
      while (i < line.length && !' \t|;&<>'.includes(line[i])) {
        const q = line[i];
        if (q === "'" || q === '"') {
          const close = line.indexOf(q, i + 1);
          if (close < 0) return `unexpected EOF while looking for matching \`${q}'`;
          delim += line.slice(i + 1, close);
          quotedDelim = true;
          i = close + 1;
        } else if (q === '\\') {
          delim += line[i + 1] ?? '';
          quotedDelim = true;
          i += 2;
        } else delim += line[i++];
      }
      if (!delim) return "syntax error near unexpected token `newline'";
      tokens.push({ t: 'heredoc', delim, strip, expand: !quotedDelim });
    } else if (c === '<' && parts === null) {
      return "syntax error near unexpected token `<'";
    } else {
      text(c, false);
      i++;
    }
  }
  flush();
  return tokens;
}

/** The literal text of a word when it has no expansions (for assignment names, operators). */
export function literal(word: Word): string | null {
  let s = '';
  for (const p of word.parts) {
    if (p.kind !== 'text') return null;
    s += p.text;
  }
  return s;
}

/** Parse one line (and the here-document lines that follow it). An empty line gives an empty list. */
export function parseLine(text: string): ParseResult {
  const nl = text.indexOf('\n');
  const line = nl < 0 ? text : text.slice(0, nl);
  const tokens = tokenize(line);
  if (typeof tokens === 'string') return { ok: false, error: tokens };
  // Here-document bodies, in the order of their operators, from the lines after the command line.
  const lines = nl < 0 ? [] : text.slice(nl + 1).split('\n');
  let at = 0;
  for (const tok of tokens) {
    if (tok.t !== 'heredoc') continue;
    const body: string[] = [];
    for (;;) {
      if (at >= lines.length) return { ok: false, error: `warning: here-document delimited by end-of-file (wanted \`${tok.delim}')`, incomplete: true };
      const l = tok.strip ? lines[at++].replace(/^\t+/, '') : lines[at++];
      if (l === tok.delim) break;
      body.push(l + '\n');
    }
    tok.body = body.join('');
  }
  const rest = lines.slice(at).join('\n');
  const items: CommandList['items'] = [];
  let op: ';' | '&&' | '||' = ';';
  let pipeline: Pipeline = { commands: [] };
  let cmd: SimpleCommand = { assignments: [], words: [], redirects: [] };
  const endCommand = (tokenText: string): string | null => {
    if (cmd.words.length === 0 && cmd.assignments.length === 0) return `syntax error near unexpected token \`${tokenText}'`;
    pipeline.commands.push(cmd);
    cmd = { assignments: [], words: [], redirects: [] };
    return null;
  };
  for (const tok of tokens) {
    if (tok.t === 'word') {
      const first = tok.word.parts[0];
      if (cmd.words.length === 0 && first?.kind === 'text' && !first.quoted) {
        const eq = first.text.indexOf('=');
        if (eq > 0 && NAME_RE.test(first.text.slice(0, eq))) {
          const rest: WordPart[] = [{ ...first, text: first.text.slice(eq + 1) }, ...tok.word.parts.slice(1)];
          cmd.assignments.push({ name: first.text.slice(0, eq), value: { parts: rest } });
          continue;
        }
      }
      cmd.words.push(tok.word);
    } else if (tok.t === 'redir') {
      cmd.redirects.push({ fd: tok.fd, target: tok.target });
    } else if (tok.t === 'heredoc') {
      cmd.redirects.push({ fd: 0, target: tok.delim, body: tok.body ?? '', expand: tok.expand });
    } else if (tok.op === '|') {
      const e = endCommand('|');
      if (e) return { ok: false, error: e };
    } else {
      const e = endCommand(tok.op);
      if (e) return { ok: false, error: e };
      items.push({ op, pipeline });
      pipeline = { commands: [] };
      op = tok.op === ';' ? ';' : tok.op;
    }
  }
  if (cmd.words.length || cmd.assignments.length) pipeline.commands.push(cmd);
  else if (pipeline.commands.length) return { ok: false, error: "syntax error: unexpected end of file" };
  if (pipeline.commands.length) items.push({ op, pipeline });
  else if (op !== ';') return { ok: false, error: 'syntax error: unexpected end of file' };
  return rest.trim() ? { ok: true, list: { items }, rest } : { ok: true, list: { items } };
}
