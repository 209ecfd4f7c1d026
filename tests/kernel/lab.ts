/**
 * One lab on this machine: the export script written to a temp file and run `up` under a unique
 * prefix, commands run inside its namespaces, and `down` (also after a failed up). Nothing here
 * runs in the host's namespace but `ip netns add/del` through the script.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster } from '../../src/engine/index';
import { exportLinux, labNames } from '../../src/engine/export/index';
import type { NetnsId } from '../../src/engine/model/ids';
import { run } from './host';

export interface Exec {
  status: number;
  stdout: string;
  stderr: string;
}

/** Run a command without blocking the event loop (so many pings can run at once). */
export function exec(cmd: string, args: string[], timeoutMs = 30_000): Promise<Exec> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}

/** Run `fn` over `items` with at most `limit` in flight, results in order. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

let counter = 0;

export class Lab {
  readonly prefix: string;
  private readonly dir: string;
  private readonly script: string;

  constructor(readonly cluster: Cluster) {
    const text = exportLinux(cluster);
    if (!text.ok) throw new Error(text.errors.map((e) => e.message).join('\n'));
    this.prefix = `ppk${process.pid}x${counter++}`;
    this.dir = mkdtempSync(join(tmpdir(), 'podpath-lab-'));
    this.script = join(this.dir, 'lab.sh');
    writeFileSync(this.script, text.value, { mode: 0o755 });
  }

  private lab(action: 'up' | 'down') {
    return run('env', [`PODPATH_PREFIX=${this.prefix}`, 'bash', this.script, action]);
  }

  up(): void {
    const r = this.lab('up');
    if (r.status !== 0) throw new Error(`lab.sh up failed (status ${r.status}):\n${r.stderr}`);
  }

  down(): void {
    const r = this.lab('down');
    rmSync(this.dir, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`lab.sh down failed (status ${r.status}):\n${r.stderr}`);
  }

  /** The real namespace name of an engine namespace (`node/worker-1` → `ppk123x0-worker-1`). */
  ns(id: NetnsId | string): string {
    const names = labNames(this.cluster);
    if (id === 'net') return `${this.prefix}-${names.net}`;
    const suffix = names.netns.get(id as NetnsId);
    if (!suffix) throw new Error(`no lab namespace for ${id}`);
    return `${this.prefix}-${suffix}`;
  }

  /** Every namespace the lab made. */
  allNamespaces(): string[] {
    return [this.ns('net'), ...[...labNames(this.cluster).netns.values()].map((s) => `${this.prefix}-${s}`)];
  }

  inNs(id: NetnsId | string, args: string[], timeoutMs?: number): Promise<Exec> {
    return exec('ip', ['netns', 'exec', this.ns(id), ...args], timeoutMs);
  }
}
