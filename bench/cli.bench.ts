/**
 * `npm run bench:cli` — how long `podpath check -f src/scenarios/demo.yaml` takes as a whole
 * process (spawn, node start-up, loading the CLI, loading the demo, printing, exit), as scripts
 * and the held-out suites call it. Runs `node bin/podpath.mjs …` N times (`--runs N`, default
 * 20) after one warm-up and reports the median wall time against the target (issue 12 §6:
 * ≤ 0.3 s). For scale it also times `node -e 0` and the TypeScript sources through tsx (what
 * the launcher falls back to when the bundle is absent or stale).
 *
 * A benchmark, not a test: it always exits 0; the table says PASS or FAIL.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseEntry } from '../src/cli/launcher.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_MS = 300;
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 20) : 20;
const CHECK = ['check', '-f', 'src/scenarios/demo.yaml'];

/** Wall times (ms) of `node ARGS` run `n` times after one warm-up; fails if a run exits non-zero. */
function wall(args: string[], n: number): number[] {
  const run = () => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return ms;
  };
  run();
  return Array.from({ length: n }, run);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const stats = (xs: number[]) => `median ${fmt(median(xs))} (min ${fmt(Math.min(...xs))}, max ${fmt(Math.max(...xs))}, ${xs.length} runs)`;

const entry = chooseEntry(root);
console.log(`podpath CLI start-up benchmark on node ${process.version}`);
console.log(`bin/podpath.mjs runs: ${entry.kind === 'bundle' ? 'the bundle' : `the TypeScript sources through tsx (${entry.reason}; \`npm run build:cli\` or \`npm ci\` builds the bundle)`}`);

const baseline = wall(['-e', '0'], Math.min(runs, 10));
console.log(`  node -e 0:                              ${stats(baseline)}`);
const sources = wall(['--import', 'tsx', 'src/cli/main.ts', ...CHECK], Math.min(runs, 5));
console.log(`  sources through tsx (the fallback):     ${stats(sources)}`);
const cli = wall(['bin/podpath.mjs', ...CHECK], runs);
console.log(`  node bin/podpath.mjs ${CHECK.join(' ')}: ${stats(cli)}`);

const m = median(cli);
// On a loaded machine every process starts slowly; what the CLI itself adds is the difference.
console.log(`  the CLI's own share (median over node -e 0): ${fmt(m - median(baseline))}`);
console.log(`\ntarget: podpath check -f demo.yaml ≤ ${fmt(TARGET_MS)} wall   measured: ${fmt(m)}   ${m <= TARGET_MS ? 'PASS' : 'FAIL'}`);
