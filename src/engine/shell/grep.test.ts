import { describe, expect, it } from 'vitest';
import { createShell } from './Shell';
import { referenceCluster } from './fixture';

const run = (line: string) => createShell({ cluster: referenceCluster() }).run(line);
const seq = 'echo -e "a1\\nb2\\nc3\\nd4\\ne5\\nf6\\ng7"';

describe('grep (GNU grep 3.x)', () => {
  it('context: -A, -B, -C, -NUM, with `--` between groups and `N-` on context lines', () => {
    expect(run(`${seq} | grep -A1 c`).stdout).toBe('c3\nd4\n');
    expect(run(`${seq} | grep -B 2 c`).stdout).toBe('a1\nb2\nc3\n');
    expect(run(`${seq} | grep -C1 -e b -e f`).stdout).toBe('a1\nb2\nc3\n--\ne5\nf6\ng7\n');
    expect(run(`${seq} | grep -n -1 d`).stdout).toBe('3-c3\n4:d4\n5-e5\n');
    expect(run(`${seq} | grep -A1 -e b -e c`).stdout).toBe('b2\nc3\nd4\n');
    expect(run(`${seq} | grep --after-context=1 -m1 '[a-z]'`).stdout).toBe('a1\nb2\n');
    expect(run(`${seq} | grep -A x c`)).toMatchObject({ stderr: 'grep: x: invalid context length argument\n', status: 2 });
  });

  it('a context of 0 still separates groups; --group-separator and --no-group-separator change the line (GNU grep 3.8)', () => {
    // Checked against GNU grep 3.8: printf 'a1\nb2\nc3\n…' | grep -A0 -e b -e d
    expect(run(`${seq} | grep -A0 -e b -e d`).stdout).toBe('b2\n--\nd4\n');
    expect(run(`${seq} | grep -C0 -e b -e c`).stdout).toBe('b2\nc3\n');
    expect(run(`${seq} | grep -e b -e d`).stdout).toBe('b2\nd4\n');
    expect(run(`${seq} | grep --group-separator=XX -A1 -e b -e f`).stdout).toBe('b2\nc3\nXX\nf6\ng7\n');
    expect(run(`${seq} | grep --group-separator '' -A1 -e b -e f`).stdout).toBe('b2\nc3\n\nf6\ng7\n');
    expect(run(`${seq} | grep --no-group-separator -A1 -e b -e f`).stdout).toBe('b2\nc3\nf6\ng7\n');
    expect(run(`${seq} | grep -A1 --group-sep`)).toMatchObject({ status: 2 });
  });

  it('-o prints each leftmost-longest match; -w and -x select whole words and lines', () => {
    expect(run('echo "10.0.0.1 and 10.0.0.22" | grep -oE "[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+"').stdout).toBe('10.0.0.1\n10.0.0.22\n');
    expect(run('echo -e "web\\nwebapp\\nmy-web" | grep -w web').stdout).toBe('web\nmy-web\n');
    expect(run('echo -e "web\\nwebapp" | grep -x web').stdout).toBe('web\n');
    expect(run('echo -e "Web\\nx" | grep -ic web').stdout).toBe('1\n');
  });

  it('linear time: (a+)+$ on a long line is one pass', () => {
    const long = 'a'.repeat(3000) + 'b';
    expect(run(`echo ${long} | grep -E '(a+)+$'`)).toMatchObject({ stdout: '', status: 1 });
    expect(run(`echo ${long} | grep -cE '(a|aa)+b$'`).stdout).toBe('1\n');
  });

  it('back-references match (backtracking, as glibc); a runaway one stops as on ^C', () => {
    expect(run("echo -e 'abcabc\\nabcab' | grep -E '^(.+)\\1$'").stdout).toBe('abcabc\n');
    expect(run("echo 'foo-foo' | grep -o '\\([a-z]*\\)-\\1'").stdout).toBe('foo-foo\n');
    expect(run(`echo ${'a'.repeat(300)} | grep -E '^(a*)*\\1b$'`)).toMatchObject({ stderr: '^C\n', status: 130 });
  });

  it("refuses what glibc's regcomp refuses, with its words and status 2", () => {
    expect(run("echo x | grep -E '('")).toMatchObject({ stderr: 'grep: Unmatched ( or \\(\n', status: 2 });
    expect(run("echo x | grep '['")).toMatchObject({ stderr: 'grep: Unmatched [, [^, [:, [., or [=\n', status: 2 });
    expect(run("echo x | grep '[:space:]'")).toMatchObject({ stderr: 'grep: character class syntax is [[:space:]], not [:space:]\n', status: 2 });
    expect(run("echo a-b | grep 'a\\-b'")).toMatchObject({ stdout: 'a-b\n', stderr: 'grep: warning: stray \\ before -\n' });
    expect(run('echo x | grep -Z x')).toMatchObject({ status: 2 });
    expect(run('echo x | grep --frobnicate x').stderr).toBe("grep: unrecognized option '--frobnicate'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
  });

  it('files: names on several, missing files, -l, -q', () => {
    const sh = createShell({ cluster: referenceCluster() });
    sh.run('ssh worker-1');
    expect(sh.run('grep -c localhost /etc/hosts /etc/hostname').stdout).toBe('/etc/hosts:2\n/etc/hostname:0\n');
    expect(sh.run('grep -l localhost /etc/hosts /etc/hostname').stdout).toBe('/etc/hosts\n');
    expect(sh.run('grep x /nope')).toMatchObject({ stderr: 'grep: /nope: No such file or directory\n', status: 2 });
    expect(sh.run('grep -q localhost /etc/hosts /nope')).toMatchObject({ status: 0 });
  });
});

describe('grep work is bounded', () => {
  it('a huge pattern over a huge line stops at GREP_WORK_BUDGET as on ^C', () => {
    const r = run("cat /dev/zero | grep -E '.{15000}b'");
    // cat's ^C (the endless /dev/zero), then grep's.
    expect(r).toMatchObject({ stderr: '^C\n^C\n', status: 130 });
  });
});
