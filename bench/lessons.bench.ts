/**
 * `npm run bench:lessons` — grading a class without a server (issue 14 §2, Done-when): 30
 * generated submissions of the NetworkPolicy activity (right, partly right, wrong, tampered;
 * src/engine/lessons/fixtures/submissions.ts) are written to a temporary folder and graded as an
 * instructor would, as one process: `node bin/podpath.mjs lesson grade ACTIVITY FOLDER --json`.
 * Reports the wall time against the target (< 5 s) and whether every grade is the one its
 * construction earns (the same expectations grade.test.ts checks, untimed).
 *
 * A benchmark, not a test: it always exits 0; the last line says PASS or FAIL.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseEntry } from '../src/cli/launcher.mjs';
import { ACTIVITY, generateSubmissions } from '../src/engine/lessons/fixtures/submissions';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_MS = 5000;

const subs = generateSubmissions();
const dir = mkdtempSync(join(tmpdir(), 'podpath-grade-'));
try {
  for (const s of subs) writeFileSync(join(dir, s.file), s.text);
  const entry = chooseEntry(root);
  console.log(`podpath lesson grade: ${subs.length} submissions of ${ACTIVITY.slice(root.length + 1)}`);
  console.log(`bin/podpath.mjs runs: ${entry.kind === 'bundle' ? 'the bundle' : `the TypeScript sources through tsx (${entry.reason})`}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['bin/podpath.mjs', 'lesson', 'grade', ACTIVITY, dir, '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`podpath lesson grade exited ${r.status}: ${r.stderr}`);
  const grades = JSON.parse(r.stdout) as { file: string; score: number; max: number }[];
  const wrong = subs.filter((s, i) => grades[i]?.file !== join(dir, s.file) || grades[i].score !== s.expected);
  const byKind = new Map<string, number[]>();
  grades.forEach((g, i) => byKind.set(subs[i].kind, [...(byKind.get(subs[i].kind) ?? []), g.score]));
  for (const [kind, scores] of byKind) console.log(`  ${kind.padEnd(10)} ${scores.length} submissions, scores ${[...new Set(scores)].join(', ')} / ${grades[0].max}`);
  console.log(`  grades as constructed: ${wrong.length ? `NO — ${wrong.map((s) => s.file).join(', ')}` : `all ${subs.length}`}`);
  console.log(`\ntarget: grade ${subs.length} submissions < ${(TARGET_MS / 1000).toFixed(1)} s wall   measured: ${(ms / 1000).toFixed(3)} s   ${ms < TARGET_MS && !wrong.length ? 'PASS' : 'FAIL'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
