/**
 * What this machine can do, asked once: root, `ip netns`, the tools the comparisons use, and which
 * device types its kernel can create (probed in a scratch namespace, deleted right after). Each
 * answer is either undefined (fine) or the exact reason a lab cannot run here.
 */
import { spawnSync } from 'node:child_process';

export function run(cmd: string, args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

const has = (cmd: string) => run('sh', ['-c', `command -v ${cmd}`]).status === 0;

function basics(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return `not root (uid ${process.getuid?.()}): network namespaces need CAP_SYS_ADMIN`;
  for (const cmd of ['ip', 'bridge', 'ping', 'traceroute', 'tcpdump', 'python3', 'ss']) if (!has(cmd)) return `${cmd} is not installed`;
  const list = run('ip', ['netns', 'list']);
  if (list.status !== 0) return `ip netns does not work here: ${list.stderr.trim()}`;
  return undefined;
}

let basicReason: string | undefined | null = null;
export function hostProblem(): string | undefined {
  if (basicReason === null) basicReason = basics();
  return basicReason;
}

const kindCache = new Map<string, string | undefined>();

/** Can the kernel create a device of this type? Probed in a throwaway namespace. */
export function deviceProblem(kind: 'veth' | 'bridge' | 'vxlan' | 'ipip'): string | undefined {
  if (kindCache.has(kind)) return kindCache.get(kind);
  const scratch = `ppprobe-${process.pid}`;
  const add = run('ip', ['netns', 'add', scratch]);
  if (add.status !== 0) return `cannot create a scratch namespace: ${add.stderr.trim()}`;
  try {
    const args: Record<typeof kind, string[]> = {
      veth: ['probe0', 'type', 'veth', 'peer', 'name', 'probe1'],
      bridge: ['probe0', 'type', 'bridge'],
      vxlan: ['probe0', 'type', 'vxlan', 'id', '1', 'dstport', '8472', 'nolearning'],
      // The fallback tunl0 may already be there when the module is loaded: a named ipip tunnel with a remote probes support.
      ipip: ['probe0', 'type', 'ipip', 'remote', '192.0.2.1', 'local', '192.0.2.2'],
    };
    const r = run('ip', ['-n', scratch, 'link', 'add', ...args[kind]]);
    const reason = r.status === 0 ? undefined : `this kernel cannot create ${kind} devices (\`ip link add … type ${kind}\`: ${r.stderr.trim()}); no ${kind} module`;
    kindCache.set(kind, reason);
    return reason;
  } finally {
    run('ip', ['netns', 'del', scratch]);
  }
}
