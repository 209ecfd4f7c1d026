/**
 * `cd` moves the shell's working directory: pwd, ls, cat, grep, globs and $PWD/$OLDPWD follow
 * it; a missing directory or a file is refused in bash's words on a node and in BusyBox ash's in
 * a busybox pod; a `kubectl exec … sh -c` subshell's cd does not move the interactive shell.
 */
import { describe, expect, it } from 'vitest';
import { createShell } from './Shell';
import { referenceCluster } from './fixture';

describe('cd', () => {
  it('on a node (bash): relative paths, ls, cat, grep and globs resolve in the new directory', () => {
    const sh = createShell({ cluster: referenceCluster() });
    sh.run('ssh worker-1');
    expect(sh.run('pwd').stdout).toBe('/root\n');
    expect(sh.run('cd /etc/cni/net.d')).toMatchObject({ stdout: '', stderr: '', status: 0 });
    expect(sh.run('pwd').stdout).toBe('/etc/cni/net.d\n');
    const name = sh.run('ls').stdout.trim().split(/\s+/)[0];
    expect(name).toMatch(/\.conflist$/);
    expect(sh.run(`cat ${name}`).stdout).toBe(sh.run(`cat /etc/cni/net.d/${name}`).stdout);
    expect(sh.run(`cat ${name}`).stdout).toContain('"cniVersion"');
    expect(sh.run('grep -l cniVersion *.conflist').stdout).toBe(`${name}\n`);
    expect(sh.run('cd ..; pwd; ls -l').stdout).toBe('/etc/cni\ntotal 4\ndrwxr-xr-x 2 root root     4096 Jan  1  2024 net.d\n');
    expect(sh.run('cd -').stdout).toBe('/etc/cni/net.d\n');
    expect(sh.run('echo $PWD $OLDPWD').stdout).toBe('/etc/cni/net.d /etc/cni\n');
    expect(sh.run('cd /nope')).toMatchObject({ stderr: 'bash: cd: /nope: No such file or directory\n', status: 1 });
    expect(sh.run('cd /etc/hostname')).toMatchObject({ stderr: 'bash: cd: /etc/hostname: Not a directory\n', status: 1 });
    expect(sh.run('cd /a /b')).toMatchObject({ stderr: 'bash: cd: too many arguments\n', status: 1 });
    expect(sh.run('pwd').stdout).toBe('/etc/cni/net.d\n');
    expect(sh.run('cd; pwd').stdout).toBe('/root\n');
    // A new login starts in the home directory again.
    sh.run('exit');
    sh.run('ssh worker-1');
    expect(sh.run('pwd').stdout).toBe('/root\n');
  });

  it('in a busybox pod (ash): its message and status; a sh -c subshell does not move the shell', () => {
    const sh = createShell({ cluster: referenceCluster() });
    expect(sh.run('kubectl exec client -- sh -c "cd /etc; cat hostname; pwd"').stdout).toBe('client\n/etc\n');
    sh.run('kubectl exec -it client -- sh');
    expect(sh.run('pwd').stdout).toBe('/\n');
    expect(sh.run('cd /nope')).toMatchObject({ stderr: "sh: cd: can't cd to /nope: No such file or directory\n", status: 2 });
    expect(sh.run('cd etc && cat resolv.conf').stdout).toMatch(/^search /m);
    expect(sh.run('sh -c "cd /proc"; pwd').stdout).toBe('/etc\n');
  });
});
