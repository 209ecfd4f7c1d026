import { describe, expect, it } from 'vitest';
import { literal, parseLine } from './parse';

const words = (line: string) => {
  const r = parseLine(line);
  if (!r.ok) throw new Error(r.error);
  return r.list.items.map((i) => i.pipeline.commands.map((c) => c.words.map((w) => literal(w) ?? '<expand>')));
};

describe('parseLine', () => {
  it('splits pipelines and lists', () => {
    expect(words('kubectl get pods | grep web; echo a && echo b || echo c')).toEqual([
      [['kubectl', 'get', 'pods'], ['grep', 'web']],
      [['echo', 'a']],
      [['echo', 'b']],
      [['echo', 'c']],
    ]);
    const r = parseLine('a && b || c');
    expect(r.ok && r.list.items.map((i) => i.op)).toEqual([';', '&&', '||']);
  });

  it('keeps quoted text whole and removes quotes', () => {
    expect(words(`kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{end}'`)).toEqual([
      [['kubectl', 'get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{end}']],
    ]);
    expect(words(`grep -E 'calico|flannel' "a b" c\\ d`)).toEqual([[['grep', '-E', 'calico|flannel', 'a b', 'c d']]]);
  });

  it('records variables, substitutions, assignments and redirections', () => {
    const r = parseLine('PID=$(crictl inspect $ID | jq .info.pid) 2>/dev/null');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const cmd = r.list.items[0].pipeline.commands[0];
    expect(cmd.assignments[0].name).toBe('PID');
    expect(cmd.assignments[0].value.parts[1]).toEqual({ kind: 'subst', source: 'crictl inspect $ID | jq .info.pid', quoted: false });
    expect(cmd.redirects).toEqual([{ fd: 2, target: '/dev/null' }]);
  });

  it('ignores comments and reports syntax errors like sh', () => {
    expect(words('echo hi # a comment')).toEqual([[['echo', 'hi']]]);
    expect(parseLine('echo "unterminated')).toEqual({ ok: false, error: 'unexpected EOF while looking for matching `"\'' });
    expect(parseLine('| grep x')).toEqual({ ok: false, error: "syntax error near unexpected token `|'" });
    expect(parseLine('')).toEqual({ ok: true, list: { items: [] } });
  });
});
