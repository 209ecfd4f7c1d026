import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryIo } from './memoryIo';
import { runCli } from './runCli';

const demo = readFileSync(new URL('../scenarios/demo.yaml', import.meta.url), 'utf8');

describe('podpath trace --pcap', () => {
  it('prints the trace as usual and writes its hops as pcapng to FILE', async () => {
    const io = memoryIo({ 'demo.yaml': demo });
    expect(await runCli(['trace', '-f', 'demo.yaml', 'client', 'node/worker-2', '--pcap', 'out.pcapng'], io)).toBe(0);
    expect(io.out).toContain('delivered');
    const bytes = io.written['out.pcapng'];
    expect(Buffer.from(bytes.subarray(0, 4)).toString('hex')).toBe('0a0d0d0a');
    expect(Buffer.from(bytes).toString('utf8')).toContain('podpath trace client → node/worker-2 icmp');
    expect(Buffer.from(bytes).toString('utf8')).toContain('worker-1/eth0');
  });

  it('an unreachable trace has no packet: no file, and stderr says why', async () => {
    const io = memoryIo({ 'demo.yaml': demo });
    expect(await runCli(['trace', '-f', 'demo.yaml', 'client', 'default/nope', '--pcap', 'out.pcapng'], io)).toBe(1);
    expect(io.written['out.pcapng']).toBeUndefined();
    expect(io.err).toBe('podpath: out.pcapng not written: the trace has no packet (pod "default/nope" not found)\n');
  });

  it('says why when FILE cannot be written, and exits 1', async () => {
    const io = memoryIo({ 'demo.yaml': demo });
    io.writeFile = () => {
      throw new Error("EACCES: permission denied, open '/root/x.pcapng'");
    };
    expect(await runCli(['trace', '-f', 'demo.yaml', 'client', 'node/worker-2', '--pcap', '/root/x.pcapng'], io)).toBe(1);
    expect(io.err).toBe("podpath: cannot write /root/x.pcapng: EACCES: permission denied, open '/root/x.pcapng'\n");
  });
});
