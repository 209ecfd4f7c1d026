import { describe, expect, it } from 'vitest';
import { parseLine } from './parse';
import { createShell } from './Shell';
import { fakeOps, fakeTrace, referenceCluster } from './fixture';

describe('here-documents', () => {
  it('reads the body up to the delimiter line and hands it to the command as stdin', () => {
    const r = parseLine("cat <<EOF | wc -l\none\ntwo\nEOF");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.list.items[0].pipeline.commands[0].redirects).toEqual([{ fd: 0, target: 'EOF', body: 'one\ntwo\n', expand: true }]);
    expect(parseLine("cat <<'END'\n$HOME\nEND").ok && (parseLine("cat <<'END'\n$HOME\nEND") as { list: { items: { pipeline: { commands: { redirects: unknown[] }[] } }[] } }).list.items[0].pipeline.commands[0].redirects[0]).toMatchObject({ body: '$HOME\n', expand: false });
    expect(parseLine('cat <<-EOF\n\tindented\n\tEOF')).toMatchObject({ ok: true });
    expect(parseLine('cat <<EOF\nno end')).toMatchObject({ ok: false, incomplete: true });
    expect(parseLine('cat <<')).toMatchObject({ ok: false, error: "syntax error near unexpected token `newline'" });
    expect(parseLine('cat < file')).toMatchObject({ ok: false });
  });

  it('prompts `> ` until the delimiter, then runs the whole command once', () => {
    const sh = createShell({ cluster: referenceCluster(), trace: fakeTrace, ops: fakeOps });
    expect(sh.run('cat <<EOF | grep -c o')).toMatchObject({ stdout: '', prompt: '> ' });
    expect(sh.prompt).toBe('> ');
    expect(sh.run('one')).toMatchObject({ stdout: '', prompt: '> ' });
    expect(sh.run('two is $X')).toMatchObject({ stdout: '', prompt: '> ' });
    expect(sh.run('EOF')).toMatchObject({ stdout: '2\n', prompt: '$ ' });
    sh.run('X=expanded');
    sh.run('cat <<EOF');
    expect(sh.run('$X and $(echo sub)').stdout).toBe('');
    expect(sh.run('EOF').stdout).toBe('expanded and sub\n');
    sh.run("cat <<'EOF'");
    sh.run('$X');
    expect(sh.run('EOF').stdout).toBe('$X\n');
  });
});
