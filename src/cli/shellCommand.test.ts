import { describe, expect, it } from 'vitest';
import { referenceCluster } from '../engine/shell/fixture';
import { memoryIo } from './memoryIo';
import { runScript, scriptLines, shellFor } from './shellCommand';

describe('scriptLines', () => {
  it('splits lines, joins backslash continuations, drops the final newline', () => {
    expect(scriptLines('a\nb \\\nc\r\n')).toEqual(['a', 'b c']);
    expect(scriptLines('')).toEqual([]);
  });
});

describe('runScript', () => {
  it('prints each command output in order and returns the last status', () => {
    const io = memoryIo();
    const status = runScript(shellFor(referenceCluster(), io), io, ['echo one', 'kubectl get pods nope', 'echo two']);
    expect(io.out).toBe('one\ntwo\n');
    expect(io.err).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(status).toBe(0);
  });

  it('prints stdout and stderr interleaved in the order the commands of one line wrote them', () => {
    const io = memoryIo();
    runScript(shellFor(referenceCluster(), io), io, ['echo one; kubectl get pods nope; echo two; ls /nope; echo three']);
    expect(io.all).toBe('one\nError from server (NotFound): pods "nope" not found\ntwo\nls: cannot access \'/nope\': No such file or directory\nthree\n');
    expect(io.out).toBe('one\ntwo\nthree\n');
  });

  it('curl -v: the headers on stderr before the body, "left intact" after it', () => {
    const io = memoryIo();
    const shell = shellFor(referenceCluster(), io);
    const pod = [...shell.cluster.pods.values()].find((p) => p.meta.labels.app === 'web' && p.attachment)!;
    const ip = [24, 16, 8, 0].map((s) => (pod.attachment!.ip >>> s) & 255).join('.');
    runScript(shell, io, ['ssh worker-1', `curl -v http://${ip}/`]);
    expect(io.all).toMatch(/\*   Trying [\s\S]*< HTTP\/1\.1 200 OK[\s\S]*<!DOCTYPE html>[\s\S]*<\/html>\n\* Connection #0 to host \S+ left intact\n$/);
  });

  it('stops at exit on the workstation with its status, but exit in a node only leaves the node', () => {
    const io = memoryIo();
    const status = runScript(shellFor(referenceCluster(), io), io, ['ssh worker-1', 'hostname', 'exit', 'exit 3', 'echo never']);
    expect(io.out).toBe('worker-1\nlogout\n');
    expect(io.err).toBe('Connection to 192.168.1.11 closed.\n');
    expect(status).toBe(3);
  });

  it('reads files for kubectl apply through the CLI io', () => {
    const io = memoryIo({ 'x.yaml': 'apiVersion: v1\nkind: Pod\n' });
    const shell = shellFor(referenceCluster(), io);
    expect(shell.session.options.readFile?.('x.yaml')).toContain('kind: Pod');
    expect(shell.session.options.readFile?.('missing.yaml')).toBeUndefined();
  });
});

describe('reading -f files is bounded', () => {
  it('a device that never ends (/dev/zero) is refused as too large instead of filling memory', async () => {
    const { readBounded, MAX_INPUT_BYTES } = await import('./io');
    expect(MAX_INPUT_BYTES).toBe(64 * 1024 * 1024);
    expect(() => readBounded('/dev/zero')).toThrow(expect.objectContaining({ code: 'EFBIG' }));
    expect(readBounded('/dev/null')).toBe('');
  });
});

describe('kubectl apply -f of a device in podpath sh', () => {
  // kubectl reads what -f names; a device that never ends is read up to a bound here, and the
  // YAML decoder refuses its NUL bytes (kubectl apply.go: an empty file has no objects).
  it('reads /dev/zero bounded and refuses it with the decoder\'s error; /dev/null has no objects', async () => {
    const { nodeIo } = await import('./io');
    const io = nodeIo();
    const shell = shellFor(referenceCluster(), io);
    const zero = shell.run('kubectl apply -f /dev/zero');
    expect(zero.status).toBe(1);
    expect(zero.stderr).toMatch(/^\/dev\/zero:1:1: error converting YAML to JSON: yaml: .*null byte/);
    expect(zero.stderr).not.toContain('does not exist');
    expect(shell.run('kubectl apply -f /dev/null')).toMatchObject({ stderr: 'error: no objects passed to apply\n', status: 1 });
    expect(shell.run('kubectl create -f /dev/null')).toMatchObject({ stderr: 'error: no objects passed to create\n', status: 1 });
  });
});
