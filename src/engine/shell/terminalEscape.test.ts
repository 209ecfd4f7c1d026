import { describe, expect, it } from 'vitest';
import { createShell } from './Shell';
import { referenceCluster } from './fixture';
import { escapeTerminal, yamlDoubleQuoted, yamlNeedsEscapes } from './terminalEscape';

describe('terminal escapes', () => {
  it("cli-runtime's EscapeTerminal: ESC → ^[, CR → \\r, the rest unchanged", () => {
    expect(escapeTerminal('\x1b[2J\x1b]0;pwned\x07a\rb\tc')).toBe('^[[2J^[]0;pwned\x07a\\rb\tc');
  });

  it('go-yaml v2 double-quotes what it does not print raw', () => {
    expect(yamlNeedsEscapes('plain text é')).toBe(false);
    expect(yamlNeedsEscapes('a\tb')).toBe(true);
    expect(yamlDoubleQuoted('\x1b[2J\x00\x07\x7f\u0085\u2028😀"\\')).toBe('"\\e[2J\\0\\a\\x7F\\N\\L\\U0001F600\\"\\\\"');
  });

  it('kubectl describe and -o yaml never send cluster data raw to the terminal', () => {
    const cluster = referenceCluster();
    const [key, pod] = [...cluster.pods.entries()].find(([, p]) => p.meta.name === 'client')!;
    const evil = { ...pod, meta: { ...pod.meta, annotations: { ...pod.meta.annotations, note: '\x1b[2J\x1b]0;owned\x07' } } };
    const sh = createShell({ cluster: { ...cluster, pods: new Map([...cluster.pods, [key, evil]]) } });
    const d = sh.run('kubectl describe pod client').stdout;
    expect(d).not.toContain('\x1b');
    expect(d).toContain('note: ^[[2J^[]0;owned\x07');
    const y = sh.run('kubectl get pod client -o yaml').stdout;
    expect(y).not.toContain('\x1b');
    expect(y).toContain('note: "\\e[2J\\e]0;owned\\a"');
  });
});
