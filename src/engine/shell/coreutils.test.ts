import { describe, expect, it } from 'vitest';
import { createShell } from './Shell';
import { columns } from './coreutils';
import { DEVICE_READ_LIMIT } from './files';
import { referenceCluster } from './fixture';

const run = (line: string) => createShell({ cluster: referenceCluster() }).run(line);

describe('coreutils', () => {
  it('grep -i -v -E -c -m', () => {
    expect(run('echo -e "Web\\nweb\\ndb" | grep -i web').stdout).toBe('Web\nweb\n');
    expect(run('echo -e "Web\\nweb\\ndb" | grep -v web').stdout).toBe('Web\ndb\n');
    expect(run('echo -e "a\\nb\\nc" | grep -E "a|c"').stdout).toBe('a\nc\n');
    expect(run('echo -e "a\\nb\\na" | grep -c a').stdout).toBe('2\n');
    expect(run('echo -e "a1\\na2" | grep -m 1 a').stdout).toBe('a1\n');
    expect(run('echo x | grep y')).toMatchObject({ stdout: '', status: 1 });
  });

  it('head, tail, wc -l, cut', () => {
    expect(run('echo -e "1\\n2\\n3" | head -n 2').stdout).toBe('1\n2\n');
    expect(run('echo -e "1\\n2\\n3" | tail -1').stdout).toBe('3\n');
    expect(run('echo -e "1\\n2\\n3" | tail -n +2').stdout).toBe('2\n3\n');
    expect(run('echo -e "1\\n2\\n3" | wc -l').stdout).toBe('3\n');
    expect(run("echo containerd://abc | cut -d/ -f3").stdout).toBe('abc\n');
  });

  it('lists, and answers missing commands like the place\'s shell', () => {
    expect(columns(['a', 'bb', 'c'], 80)).toBe('a  bb  c\n');
    expect(run('foo')).toMatchObject({ stderr: 'sh: foo: not found\n', status: 127 });
    expect(run('ssh worker-1 foo')).toMatchObject({ stderr: 'bash: foo: command not found\n', status: 127 });
    expect(run('true && echo yes || echo no').stdout).toBe('yes\n');
    expect(run('false; echo $?').stdout).toBe('1\n');
  });
});

describe('exit', () => {
  it('ash refuses a non-number and stays (status 2); bash complains and leaves with 2', () => {
    const sh = createShell({ cluster: referenceCluster() });
    expect(sh.run('exit abc')).toMatchObject({ stderr: 'sh: exit: Illegal number: abc\n', status: 2 });
    expect(sh.run('exit 300')).toMatchObject({ status: 44 });
    sh.run('ssh worker-1');
    expect(sh.run('exit abc')).toMatchObject({ stderr: expect.stringMatching(/^bash: exit: abc: numeric argument required\n/), status: 2, prompt: '$ ' });
    sh.run('ssh worker-1');
    expect(sh.run('exit -1')).toMatchObject({ status: 255, prompt: '$ ' });
    sh.run('kubectl exec -it client -- sh');
    expect(sh.run('exit -1')).toMatchObject({ stderr: 'sh: exit: Illegal number: -1\n', status: 2, prompt: '/ # ' });
  });
});

describe('the workstation has its own files', () => {
  it('holds the scenario file the learner loaded in the home directory, as it is now (the app\'s YAML view)', () => {
    let text = 'kind: Cluster\n';
    const sh = createShell({ cluster: referenceCluster(), workstationFiles: () => ({ 'scenario.yaml': text, '../lab/extra.yaml': 'x: 1\n', '-': 'stdin\n' }) });
    expect(sh.run('cat scenario.yaml').stdout).toBe('kind: Cluster\n');
    text = 'kind: Cluster\nmetadata: {name: edited}\n';
    expect(sh.run('cat ~/scenario.yaml | grep -c name').stdout).toBe('1\n');
    expect(sh.run('ls').stdout).toBe('extra.yaml  scenario.yaml\n');
    expect(createShell({ cluster: referenceCluster() }).run('cat scenario.yaml')).toMatchObject({ stderr: 'cat: scenario.yaml: No such file or directory\n', status: 1 });
  });

  it('cat reads the simulated laptop (never the disk); ~ is /home/user; /dev/zero stops as on ^C', () => {
    const readFile = (p: string) => (p === '/etc/passwd' ? 'REAL DISK\n' : undefined);
    const sh = createShell({ cluster: referenceCluster(), readFile });
    expect(sh.run('cat /etc/passwd').stdout).toMatch(/^root:x:0:0:root:\/root:\/bin\/bash\n[\s\S]*\nuser:x:1000:1000:user,,,:\/home\/user:\/bin\/bash\n$/);
    expect(sh.run('cat ~/.kube/config').stdout).toContain('    server: https://');
    expect(sh.run('grep -c current-context .kube/config').stdout).toBe('1\n');
    expect(sh.run('pwd').stdout).toBe('/home/user\n');
    expect(sh.run('ls').stdout).toBe('');
    expect(sh.run('ls -a').stdout).toBe('.kube\n');
    expect(sh.run('cat /etc/shadow')).toMatchObject({ stderr: 'cat: /etc/shadow: No such file or directory\n', status: 1 });
    const zero = sh.run('cat /dev/zero');
    expect(zero).toMatchObject({ stderr: '^C\n', status: 130 });
    expect(zero.stdout.length).toBe(DEVICE_READ_LIMIT);
    expect(sh.run('cat /dev/null')).toMatchObject({ stdout: '', status: 0 });
    expect(sh.run('ls -l /dev/zero').stdout).toBe('crw-rw-rw- 1 root root     1, 5 Jan  1  2024 /dev/zero\n');
    expect(sh.run('grep a /dev/zero')).toMatchObject({ stderr: '^C\n', status: 130 });
  });
});

describe('a command that throws (a simulator bug)', () => {
  it('is reported as an internal error with status 70, and the session goes on', () => {
    const sh = createShell({
      cluster: referenceCluster(),
      ops: {
        applyManifests: () => {
          throw new TypeError('boom');
        },
      },
    });
    expect(sh.run('echo x | kubectl apply -f -')).toMatchObject({ stderr: 'podpath: internal error: kubectl: TypeError: boom\n', status: 70 });
    expect(sh.run('echo still here')).toMatchObject({ stdout: 'still here\n', status: 0 });
  });
});
