import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryIo } from './memoryIo';
import { runCli } from './runCli';

const demo = readFileSync(new URL('../scenarios/demo.yaml', import.meta.url), 'utf8');

describe('podpath export linux', () => {
  it('prints the lab script for an exportable cluster', async () => {
    const io = memoryIo({ 'demo.yaml': demo });
    expect(await runCli(['export', 'linux', '-f', 'demo.yaml'], io)).toBe(0);
    expect(io.out).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(io.out).toContain('PREFIX="${PODPATH_PREFIX:-pp-demo}"');
    expect(io.err).toBe('');
  });

  it('says why a mode cannot be exported, with status 1', async () => {
    const io = memoryIo({ 'c.yaml': demo.replace('cni: flannel', 'cni: weave') });
    expect(await runCli(['export', 'linux', '-f', 'c.yaml'], io)).toBe(1);
    expect(io.err).toMatch(/^podpath export: cannot export CNI mode weave to Linux: .*Open vSwitch/);
    expect(io.out).toBe('');
  });

  it('wants the target', async () => {
    const io = memoryIo({ 'demo.yaml': demo });
    expect(await runCli(['export', '-f', 'demo.yaml'], io)).toBe(2);
    expect(io.err).toContain('TARGET is required');
    expect(await runCli(['export', 'windows', '-f', 'demo.yaml'], memoryIo())).toBe(2);
  });
});
