/**
 * Hostile shell lines against the demo cluster (issue 12, "bound every loop"): lines drawn from a
 * grammar of the commands, flags and values a learner (or a fuzzer) types — huge and malformed
 * numbers, pathological regexes, endless devices, port ranges, quotes, pipes, redirections,
 * substitutions, control bytes — run in sessions that also walk into pods and nodes.
 *
 * Properties: no exception escapes `run`; every line ends within a bounded amount of work,
 * counted as packet traces (each ping, DNS query, connection is one) and printed bytes, not time.
 * The seed is fixed, so a failure replays exactly.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dnsCluster } from '../dns/dnsFixture';
import { engineOps } from '../engineShell';
import { trace, traceroute } from '../trace/tracer';
import { createShell, INTERNAL_ERROR } from './Shell';

/** Traces one line may cause: a bounded ping (1 trace), nc's bounded scan (256 ports), DNS search lists. */
const MAX_TRACES_PER_LINE = 2000;
/** Bytes one line may print (ping's 1,000 replies, /dev/zero's 64 KiB, a pipeline of them). */
const MAX_OUTPUT_PER_LINE = 1 << 20;

const hosts = ['web', 'client', 'worker-1', 'control-plane', '10.244.1.3', '10.96.0.10', 'nope', 'web.default.svc.cluster.local', '255.255.255.255', '0', ''];
const numbers = ['0', '1', '3', '-1', '1e9', 'abc', '2147483648', '99999999999999999999', '100000', 'NaN', '0x10', '65536', ''];
const regexes = ['(a+)+$', '(', ')', '[', '[:space:]', '\\', 'a{99999}', '(a|aa)*b', '.*', '^$', '\\1', '(?=x)', 'x**', '[z-a]', 'a{1000}{1000}'];
const paths = ['/dev/zero', '/dev/null', '/etc/passwd', '/etc/hosts', '/etc/resolv.conf', '~/.kube/config', '/proc/self/environ', '.', '/', 'demo.yaml', '../../../../etc/shadow'];
const ports = ['80', '53', '1-65535', '70000', '0', 'http', 'abc', '65535-1', '443'];

const value = fc.oneof(
  fc.constantFrom(...hosts),
  fc.constantFrom(...numbers),
  fc.constantFrom(...regexes),
  fc.constantFrom(...paths),
  fc.constantFrom(...ports),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

const quoted = value.chain((v) => fc.constantFrom(`'${v.replace(/'/g, '')}'`, `"${v.replace(/["\\$`]/g, '')}"`, v));

const command = fc.oneof(
  fc.tuple(fc.constantFrom('-c', '-s', '-t', '-M', '-q', '-W'), fc.constantFrom(...numbers), fc.constantFrom(...hosts)).map(([f, n, h]) => `ping ${f} ${n} ${h}`),
  fc.tuple(fc.constantFrom('', '-E ', '-F ', '-o ', '-w ', '-x ', '-i ', '-v ', '-c ', '-n '), fc.constantFrom('', '-A ', '-B ', '-C ', '-m '), fc.constantFrom(...numbers), quoted, fc.constantFrom(...paths, ''))
    .map(([a, b, n, re, p]) => `grep ${a}${b ? b + n + ' ' : ''}${re} ${p}`),
  fc.tuple(fc.constantFrom('-zv', '-z', '-v', ''), fc.constantFrom(...hosts), fc.constantFrom(...ports)).map(([f, h, p]) => `nc ${f} ${h} ${p}`),
  fc.tuple(fc.constantFrom('cat', 'head -n', 'tail -n', 'wc -c', 'ls -l', 'sort', 'uniq -c', 'cut -d: -f1'), fc.constantFrom(...numbers, ''), fc.constantFrom(...paths)).map(([c, n, p]) => `${c} ${c.endsWith('-n') ? n + ' ' : ''}${p}`),
  fc.tuple(fc.constantFrom('get', 'describe', 'delete', 'logs', 'apply -f', 'exec', 'run', 'expose', 'debug', 'cluster-info', 'version', 'get pods -o yaml', 'get pod client -o jsonpath={.metadata}', 'frobnicate'), fc.array(quoted, { maxLength: 3 }))
    .map(([v, a]) => `kubectl ${v} ${a.join(' ')}`),
  fc.tuple(fc.constantFrom('curl -s', 'curl -v', 'wget -qO-', 'nslookup', 'dig', 'traceroute -n', 'host', 'getent hosts'), fc.constantFrom(...hosts)).map(([c, h]) => `${c} ${h}`),
  fc.tuple(fc.constantFrom('crictl ps --name', 'crictl inspect', 'jq', 'hubble observe --pod', 'ip route get', 'sysctl', 'nsenter -t', 'sudo', 'exit', 'ssh', 'sh -c', 'echo', 'export X=', 'tr -d'), quoted).map(([c, v]) => `${c} ${v}`),
  fc.constantFrom('kubectl exec -it client -- sh', 'ssh worker-1', 'kubectl exec -it -n tools netshoot -- bash', 'minikube ssh', 'exit', 'history', 'clear', 'ip addr', 'iptables-save', 'conntrack -L', 'ipvsadm -Ln', 'crictl ps'),
  value,
);

const joiner = fc.constantFrom(' | ', '; ', ' && ', ' || ', ' | grep -c . | ');
const redirect = fc.constantFrom('', ' >/dev/null', ' 2>&1', ' 2>/dev/null');
const line = fc
  .tuple(fc.array(fc.tuple(command, redirect), { minLength: 1, maxLength: 3 }), fc.array(joiner, { minLength: 2, maxLength: 2 }), fc.boolean())
  .map(([cmds, js, subst]) => {
    const text = cmds.map(([c, r], i) => (i ? js[(i - 1) % js.length] : '') + c + r).join('');
    return subst ? `echo $(${text})` : text;
  });

describe('shell fuzz: hostile lines against the demo cluster', () => {
  const cluster = dnsCluster();
  it('no exception escapes, every line ends within a bounded number of traces and bytes', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (lines) => {
        let traces = 0;
        const counted = <A extends unknown[], R>(f: (...a: A) => R) => (...a: A): R => {
          traces++;
          return f(...a);
        };
        const sh = createShell({ cluster, trace: counted(trace), traceroute: counted(traceroute), ops: engineOps, readFile: () => undefined });
        let typed = '';
        for (const l of lines) {
          traces = 0;
          typed += l + '\n';
          const r = sh.run(l);
          expect(typeof r.status).toBe('number');
          // A command that threw is caught by the shell (the session survives) but is still a bug.
          expect(r.stderr).not.toContain(INTERNAL_ERROR);
          expect(r.stdout.length + r.stderr.length).toBeLessThanOrEqual(MAX_OUTPUT_PER_LINE);
          expect(traces).toBeLessThanOrEqual(MAX_TRACES_PER_LINE);
          // A number the tool failed to parse shows as NaN, a missing value as undefined (unless typed: history).
          for (const junk of ['NaN', 'undefined', '[object Object]']) if (!typed.includes(junk)) expect(r.stdout + r.stderr).not.toContain(junk);
        }
      }),
      { seed: Number(process.env.FUZZ_SEED ?? 20261206), numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
