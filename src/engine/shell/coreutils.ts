/**
 * The text tools of a terminal session: echo, cat, ls, grep, head, tail, wc, cut, sort, uniq,
 * tr, true/false, sleep, env, and a small `jq` (paths only) for the `crictl inspect | jq .info.pid`
 * recipe. Behaviour and messages follow GNU coreutils / grep (busybox prints the same for these).
 */
import { DEVICE_NUMBERS, isDirectory, isEndless, listDir, readFileIn, resolvePath } from './files';
import { fail, out, text, type Ctx, type Handler, type Out } from './types';

const lines = (s: string): string[] => {
  if (s === '') return [];
  const l = s.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
};

export const echo: Handler = (args) => {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length && /^-[neE]+$/.test(args[i]); i++) {
    if (args[i].includes('n')) newline = false;
    if (args[i].includes('e')) escapes = true;
  }
  let s = args.slice(i).join(' ');
  if (escapes) s = s.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
  return out(s + (newline ? '\n' : ''));
};

/** One input of a command: a file's content, or the message the command prints for it. */
export interface Input {
  name: string;
  data: string;
  error?: string;
  /** A device that never ends (/dev/zero): data is its first DEVICE_READ_LIMIT bytes. */
  endless?: boolean;
}

/**
 * Read each operand (`-` is standard input, none means standard input) in the place's files;
 * a missing file gives the command's `CMD: FILE: No such file or directory`.
 */
export function readEach(cmd: string, files: string[], ctx: Ctx): Input[] {
  if (files.length === 0) return [{ name: '-', data: ctx.stdin }];
  return files.map((f) => {
    if (f === '-') return { name: '-', data: ctx.stdin };
    const content = readFileIn(ctx.session, ctx.place, f);
    if (content !== undefined) return isEndless(ctx.place, f) ? { name: f, data: content, endless: true } : { name: f, data: content };
    const isDir = listDir(ctx.session, ctx.place, f) !== undefined;
    return { name: f, data: '', error: `${cmd}: ${f}: ${isDir ? 'Is a directory' : 'No such file or directory'}\n` };
  });
}

/** What a command that reads an endless device to its end shows: interrupted by Ctrl-C (128 + SIGINT). */
export const INTERRUPTED = { echo: '^C\n', status: 130 };

/**
 * All operands concatenated (cat, head, wc …), their errors, status 1 when one was missing; an
 * endless device is read until the simulated Ctrl-C.
 */
function readInputs(cmd: string, files: string[], ctx: Ctx): { data: string; errors: string; status: number } {
  const inputs = readEach(cmd, files, ctx);
  const endless = inputs.some((i) => i.endless);
  return {
    data: inputs.map((i) => i.data).join(''),
    errors: inputs.map((i) => i.error ?? '').join('') + (endless ? INTERRUPTED.echo : ''),
    status: endless ? INTERRUPTED.status : inputs.some((i) => i.error !== undefined) ? 1 : 0,
  };
}

export const cat: Handler = (args, ctx) => {
  const r = readInputs('cat', args.filter((a) => a !== '-n' || false), ctx);
  return out(r.data, r.errors, r.status);
};

/** GNU ls -C: fill columns top to bottom, as many columns as fit in 80 characters, 2 spaces apart. */
export function columns(names: string[], width = 80): string {
  if (names.length === 0) return '';
  for (let cols = names.length; cols >= 1; cols--) {
    const rows = Math.ceil(names.length / cols);
    const widths: number[] = [];
    for (let c = 0; c < cols; c++) {
      const col = names.slice(c * rows, (c + 1) * rows);
      if (col.length === 0) break;
      widths.push(Math.max(...col.map((n) => n.length)));
    }
    const usedCols = widths.length;
    const total = widths.reduce((a, b) => a + b, 0) + 2 * (usedCols - 1);
    if (total < width || cols === 1) {
      const outLines: string[] = [];
      for (let r = 0; r < rows; r++) {
        let line = '';
        for (let c = 0; c < usedCols; c++) {
          const name = names[c * rows + r];
          if (name === undefined) continue;
          const isLast = c === usedCols - 1 || names[(c + 1) * rows + r] === undefined;
          line += isLast ? name : name.padEnd(widths[c] + 2);
        }
        outLines.push(line);
      }
      return outLines.join('\n') + '\n';
    }
  }
  return names.join('\n') + '\n';
}

export const ls: Handler = (args, ctx) => {
  const flags = args.filter((a) => a.startsWith('-') && a.length > 1).join('');
  const long = flags.includes('l');
  const one = flags.includes('1');
  const targets = args.filter((a) => !a.startsWith('-') || a === '-');
  const dirs = targets.length ? targets : ['.'];
  let stdout = '';
  let stderr = '';
  let status = 0;
  dirs.forEach((d, i) => {
    const entries = listDir(ctx.session, ctx.place, d);
    const file = readFileIn(ctx.session, ctx.place, d);
    if (entries === undefined && file === undefined) {
      if (isDirectory(ctx.session, ctx.place, d)) return; // an empty home
      stderr += `ls: cannot access '${d}': No such file or directory\n`;
      status = 2;
      return;
    }
    // A file operand is listed by its name, without the `DIR:` header and `total` line of a directory.
    if (dirs.length > 1 && entries) stdout += `${i ? '\n' : ''}${d}:\n`;
    // Names starting with `.` are listed only with -a / -A.
    const names = entries ? entries.filter((n) => !n.startsWith('.') || /[aA]/.test(flags)) : [d];
    if (long) {
      if (entries) stdout += `total ${names.length * 4}\n`;
      for (const n of names) {
        const path = entries ? `${resolvePath(ctx.place, d)}/${n}` : n;
        const device = DEVICE_NUMBERS[resolvePath(ctx.place, path)];
        if (device) {
          stdout += `crw-rw-rw- 1 root root ${device.padStart(8)} Jan  1  2024 ${n}\n`;
          continue;
        }
        const content = readFileIn(ctx.session, ctx.place, path);
        if (content === undefined && isDirectory(ctx.session, ctx.place, path)) {
          stdout += `drwxr-xr-x 2 root root ${'4096'.padStart(8)} Jan  1  2024 ${n}\n`;
          continue;
        }
        const exec = resolvePath(ctx.place, d).startsWith('/opt/cni/bin');
        stdout += `${exec ? '-rwxr-xr-x' : '-rw-r--r--'} 1 root root ${String(content?.length ?? 4096).padStart(8)} Jan  1  2024 ${n}\n`;
      }
    } else stdout += ctx.tty && !one ? columns(names) : names.map((n) => n + '\n').join('');
  });
  return out(stdout, stderr, status);
};

function countArg(args: string[], cmd: string): { n: number; fromStart?: boolean; files: string[] } | Out {
  let n = 10;
  let fromStart = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let v: string | undefined;
    if (a === '-n' || a === '--lines') v = args[++i];
    else if (a.startsWith('-n')) v = a.slice(2);
    else if (a.startsWith('--lines=')) v = a.slice(8);
    else if (/^-\d+$/.test(a)) v = a.slice(1);
    else {
      files.push(a);
      continue;
    }
    if (v === undefined) return fail(`${cmd}: option requires an argument -- 'n'\nTry '${cmd} --help' for more information.`);
    if (v.startsWith('+')) {
      fromStart = true;
      v = v.slice(1);
    }
    if (!/^-?\d+$/.test(v)) return fail(`${cmd}: invalid number of lines: ‘${v}’`);
    n = Number(v);
  }
  return { n, fromStart, files };
}

export const head: Handler = (args, ctx) => {
  const a = countArg(args, 'head');
  if ('status' in a) return a;
  const input = readInputs('head', a.files, ctx);
  const l = lines(input.data);
  const take = a.n < 0 ? l.slice(0, Math.max(0, l.length + a.n)) : l.slice(0, a.n);
  return out(take.map((x) => x + '\n').join(''), input.errors, input.status);
};

export const tail: Handler = (args, ctx) => {
  const a = countArg(args, 'tail');
  if ('status' in a) return a;
  const input = readInputs('tail', a.files, ctx);
  const l = lines(input.data);
  const take = a.fromStart ? l.slice(Math.max(0, a.n - 1)) : a.n === 0 ? [] : l.slice(-Math.abs(a.n));
  return out(take.map((x) => x + '\n').join(''), input.errors, input.status);
};

export const wc: Handler = (args, ctx) => {
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const files = args.filter((a) => !a.startsWith('-'));
  const input = readInputs('wc', files, ctx);
  const d = input.data;
  const nl = (d.match(/\n/g) ?? []).length;
  const words = d.split(/\s+/).filter(Boolean).length;
  const bytes = new TextEncoder().encode(d).length;
  const picked: number[] = [];
  if (!flags || flags.includes('l')) picked.push(nl);
  if (!flags || flags.includes('w')) picked.push(words);
  if (!flags || flags.includes('c') || flags.includes('m')) picked.push(bytes);
  const suffix = files.length ? ` ${files[0]}` : '';
  // GNU wc: a single count from stdin is printed bare; several are right-aligned to a common width.
  const width = picked.length === 1 && !files.length ? 0 : Math.max(...picked.map((x) => String(x).length), files.length ? 1 : 7);
  return out(picked.map((x) => String(x).padStart(width)).join(' ') + suffix + '\n', input.errors, input.status);
};

export const cut: Handler = (args, ctx) => {
  let delim = '\t';
  let fields: string | undefined;
  let chars: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-d') delim = args[++i] ?? '';
    else if (a.startsWith('-d')) delim = a.slice(2);
    else if (a === '-f') fields = args[++i];
    else if (a.startsWith('-f')) fields = a.slice(2);
    else if (a === '-c') chars = args[++i];
    else if (a.startsWith('-c')) chars = a.slice(2);
    else files.push(a);
  }
  if (delim.length !== 1) return fail('cut: the delimiter must be a single character\nTry \'cut --help\' for more information.');
  const spec = fields ?? chars;
  if (!spec) return fail('cut: you must specify a list of bytes, characters, or fields\nTry \'cut --help\' for more information.');
  const ranges = spec.split(',').map((r) => {
    const [a, b] = r.includes('-') ? r.split('-') : [r, r];
    return [a ? Number(a) : 1, b ? Number(b) : Infinity] as [number, number];
  });
  const want = (i: number) => ranges.some(([a, b]) => i >= a && i <= b);
  const input = readInputs('cut', files, ctx);
  const res = lines(input.data).map((l) => {
    if (chars) return [...l].filter((_c, i) => want(i + 1)).join('');
    if (!l.includes(delim)) return l;
    return l
      .split(delim)
      .filter((_f, i) => want(i + 1))
      .join(delim);
  });
  return out(res.map((l) => l + '\n').join(''), input.errors, input.status);
};

export const sort: Handler = (args, ctx) => {
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const input = readInputs('sort', args.filter((a) => !a.startsWith('-')), ctx);
  let l = lines(input.data);
  if (flags.includes('n')) l.sort((a, b) => parseFloat(a) - parseFloat(b) || (a < b ? -1 : a > b ? 1 : 0));
  else l.sort();
  if (flags.includes('r')) l.reverse();
  if (flags.includes('u')) l = l.filter((x, i) => i === 0 || x !== l[i - 1]);
  return out(l.map((x) => x + '\n').join(''), input.errors, input.status);
};

export const uniq: Handler = (args, ctx) => {
  const count = args.includes('-c');
  const input = readInputs('uniq', args.filter((a) => !a.startsWith('-')), ctx);
  const res: [string, number][] = [];
  for (const l of lines(input.data)) {
    if (res.length && res[res.length - 1][0] === l) res[res.length - 1][1]++;
    else res.push([l, 1]);
  }
  return text(res.map(([l, n]) => (count ? `${String(n).padStart(7)} ${l}` : l)));
};

export const tr: Handler = (args, ctx) => {
  const del = args[0] === '-d';
  const set1 = expandSet(del ? args[1] ?? '' : args[0] ?? '');
  const set2 = expandSet(args[1] ?? '');
  let s = '';
  for (const c of ctx.stdin) {
    const i = set1.indexOf(c);
    if (i < 0) s += c;
    else if (!del) s += set2[Math.min(i, set2.length - 1)] ?? '';
  }
  return out(s);
};

function expandSet(s: string): string {
  const t = s.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  return t.replace(/(.)-(.)/g, (_m, a: string, b: string) => {
    let r = '';
    for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) r += String.fromCharCode(c);
    return r;
  });
}

/** `jq FILTER`: dotted paths and `[N]` only, enough for `crictl inspect ID | jq .info.pid`. */
export const jq: Handler = (args, ctx) => {
  const raw = args.includes('-r');
  const filter = args.find((a) => !a.startsWith('-')) ?? '.';
  let data: unknown;
  try {
    data = JSON.parse(ctx.stdin);
  } catch {
    return fail('jq: error (at <stdin>:0): Cannot parse input', 2);
  }
  const steps = filter.match(/\.[A-Za-z_][A-Za-z0-9_]*|\.?\[\d+\]|\.?\["[^"]*"\]/g) ?? [];
  let cur: unknown = data;
  for (const st of steps) {
    if (cur === null || cur === undefined) break;
    const idx = /\[(\d+)\]/.exec(st);
    const key = /\["([^"]*)"\]/.exec(st);
    if (idx) cur = Array.isArray(cur) ? cur[Number(idx[1])] : null;
    else cur = (cur as Record<string, unknown>)[key ? key[1] : st.slice(1)];
  }
  if (cur === undefined) cur = null;
  if (raw && typeof cur === 'string') return out(cur + '\n');
  return out(JSON.stringify(cur, null, 2) + '\n');
};

export const trueCmd: Handler = () => out();
export const falseCmd: Handler = () => out('', '', 1);
export const sleep: Handler = () => out();
