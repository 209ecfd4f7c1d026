/**
 * kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath): literal text with `{...}`
 * actions: paths (`.a.b`, `['a']`, `[0]`, `[*]`, `[-1]`, `[?(@.type=="InternalIP")]`, `..name`),
 * `range … end`, and string literals (`{"\t"}`, `{"\n"}`). Several results of one path are
 * joined by a space, as kubectl prints them.
 */
import type { Json } from './output';

type Node = { kind: 'text'; text: string } | { kind: 'path'; path: string } | { kind: 'range'; path: string; body: Node[] };

export type JsonPathResult = { ok: true; text: string } | { ok: false; error: string };

function parseTemplate(tpl: string): Node[] | string {
  const stack: Node[][] = [[]];
  const ranges: { path: string }[] = [];
  let i = 0;
  while (i < tpl.length) {
    const open = tpl.indexOf('{', i);
    if (open < 0) {
      stack[stack.length - 1].push({ kind: 'text', text: tpl.slice(i) });
      break;
    }
    if (open > i) stack[stack.length - 1].push({ kind: 'text', text: tpl.slice(i, open) });
    // Find the matching close brace, skipping quoted strings.
    let j = open + 1;
    let quote: string | null = null;
    for (; j < tpl.length; j++) {
      const c = tpl[j];
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '}') break;
    }
    if (j >= tpl.length) return `unclosed action`;
    const action = tpl.slice(open + 1, j).trim();
    i = j + 1;
    if (action.startsWith('range ')) {
      ranges.push({ path: action.slice(6).trim() });
      stack.push([]);
    } else if (action === 'end') {
      const body = stack.pop();
      const r = ranges.pop();
      if (!body || !r || stack.length === 0) return 'not in range, nothing to end';
      stack[stack.length - 1].push({ kind: 'range', path: r.path, body });
    } else if (/^".*"$/s.test(action) || /^'.*'$/s.test(action)) {
      stack[stack.length - 1].push({ kind: 'text', text: unquote(action) });
    } else {
      stack[stack.length - 1].push({ kind: 'path', path: action });
    }
  }
  if (ranges.length) return 'unclosed range';
  return stack[0];
}

function unquote(s: string): string {
  const body = s.slice(1, -1);
  return body.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
}

type Step = { kind: 'field'; name: string } | { kind: 'recursive'; name: string } | { kind: 'index'; index: number } | { kind: 'slice'; start?: number; end?: number } | { kind: 'all' } | { kind: 'filter'; left: string; op: string; right: string | null };

function parsePath(path: string): Step[] | string {
  const steps: Step[] = [];
  let i = 0;
  let p = path.trim();
  if (p.startsWith('$')) p = p.slice(1);
  if (p === '' || p === '.' || p === '@') return steps;
  if (p.startsWith('@')) p = p.slice(1);
  while (i < p.length) {
    if (p.startsWith('..', i)) {
      const m = /^[A-Za-z0-9_\-/]+/.exec(p.slice(i + 2));
      if (!m) return `invalid path ${path}`;
      steps.push({ kind: 'recursive', name: m[0] });
      i += 2 + m[0].length;
    } else if (p[i] === '.') {
      const m = /^[^.[\]]+/.exec(p.slice(i + 1));
      if (!m) {
        i++;
        continue;
      }
      steps.push(m[0] === '*' ? { kind: 'all' } : { kind: 'field', name: m[0] });
      i += 1 + m[0].length;
    } else if (p[i] === '[') {
      const close = p.indexOf(']', i);
      if (close < 0) return `unterminated array`;
      let inner = p.slice(i + 1, close);
      let end = close + 1;
      if (inner.startsWith('?(')) {
        const fclose = p.indexOf(')]', i);
        if (fclose < 0) return 'unclosed filter';
        inner = p.slice(i + 3, fclose);
        end = fclose + 2;
        const m = /^@((?:\.[^\s=!<>]+)*)\s*(==|!=|<=|>=|<|>)?\s*(.*)$/.exec(inner.trim());
        if (!m) return `unrecognized filter ${inner}`;
        steps.push({ kind: 'filter', left: m[1], op: m[2] ?? 'exists', right: m[2] ? m[3].replace(/^["']|["']$/g, '') : null });
      } else if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^-?\d*:-?\d*$/.test(inner)) {
        const [a, b] = inner.split(':');
        steps.push({ kind: 'slice', ...(a ? { start: Number(a) } : {}), ...(b ? { end: Number(b) } : {}) });
      } else steps.push({ kind: 'field', name: inner.replace(/^['"]|['"]$/g, '') });
      i = end;
    } else {
      const m = /^[^.[\]]+/.exec(p.slice(i));
      steps.push({ kind: 'field', name: m![0] });
      i += m![0].length;
    }
  }
  return steps;
}

function evalSteps(values: Json[], steps: Step[]): Json[] {
  let cur = values;
  for (const s of steps) {
    const next: Json[] = [];
    for (const v of cur) {
      if (s.kind === 'field') {
        if (v && typeof v === 'object' && !Array.isArray(v) && s.name in v) next.push(v[s.name]);
      } else if (s.kind === 'index') {
        if (Array.isArray(v)) {
          const idx = s.index < 0 ? v.length + s.index : s.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
        }
      } else if (s.kind === 'slice') {
        if (Array.isArray(v)) next.push(...v.slice(s.start ?? 0, s.end ?? v.length));
      } else if (s.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (v && typeof v === 'object') next.push(...Object.values(v));
      } else if (s.kind === 'recursive') {
        const walk = (x: Json) => {
          if (Array.isArray(x)) x.forEach(walk);
          else if (x && typeof x === 'object') {
            if (s.name in x) next.push(x[s.name]);
            Object.values(x).forEach(walk);
          }
        };
        walk(v);
      } else {
        const items = Array.isArray(v) ? v : [v];
        const left = parsePath(s.left);
        for (const item of items) {
          const got = typeof left === 'string' ? [] : evalSteps([item], left);
          if (s.op === 'exists') {
            if (got.length) next.push(item);
            continue;
          }
          if (!got.length) continue;
          const lv = got[0];
          const a = typeof lv === 'number' ? lv : String(lv);
          const b = typeof lv === 'number' ? Number(s.right) : s.right;
          const okCmp =
            s.op === '==' ? a === b : s.op === '!=' ? a !== b : s.op === '<' ? a! < b! : s.op === '>' ? a! > b! : s.op === '<=' ? a! <= b! : a! >= b!;
          if (okCmp) next.push(item);
        }
      }
    }
    cur = next;
  }
  return cur;
}

function show(v: Json): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function run(nodes: Node[], data: Json, root: Json): string | { error: string } {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else {
      const steps = parsePath(n.path);
      if (typeof steps === 'string') return { error: steps };
      const base = n.path.trim().startsWith('$') ? root : data;
      const got = evalSteps([base], steps);
      if (n.kind === 'path') {
        // --allow-missing-template-keys defaults to true: a missing key prints nothing.
        out += got.map(show).join(' ');
      } else {
        const items = got.length === 1 && Array.isArray(got[0]) ? (got[0] as Json[]) : got;
        for (const item of items) {
          const r = run(n.body, item, root);
          if (typeof r !== 'string') return r;
          out += r;
        }
      }
    }
  }
  return out;
}

/** Apply a template to an object (a single object, or a `List` for several). */
export function jsonpath(template: string, data: Json): JsonPathResult {
  let tpl = template;
  // kubectl strips one level of surrounding quotes a shell would have left.
  if (/^'.*'$/s.test(tpl) || /^".*"$/s.test(tpl)) tpl = tpl.slice(1, -1);
  const nodes = parseTemplate(tpl);
  if (typeof nodes === 'string') return { ok: false, error: `error: error parsing jsonpath ${template}, ${nodes}` };
  const r = run(nodes, data, data);
  if (typeof r !== 'string') return { ok: false, error: `error: error executing jsonpath "${template}": Error executing template: ${r.error}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${template}\n` };
  return { ok: true, text: r };
}
