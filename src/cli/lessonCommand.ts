/**
 * `podpath lesson list|validate|start|solve|grade` over the lessons engine (docs/lessons.md).
 * A lesson is named by a file path or by its id, looked up in the built-in lessons (src/lessons/,
 * found relative to this module, so the bundled CLI in src/.cli-bundle/ finds them too). The
 * built-in scenarios a lesson may start from (`scenario: {builtin: demo}`) are read from
 * src/scenarios/ the same way and registered with the engine before anything runs.
 * Exit status: list, start, solve, grade 0 (a grade of 0 is still a grade); validate 0 when every
 * lesson passes, 1 when one fails; 1 when a lesson does not load.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatScenarioError } from '../engine/model/source';
import { checkpoint, registerBuiltinScenarios, solvedContext, startContext } from '../engine/lessons/context';
import { gradesCsv, gradeSubmission, submissionYaml } from '../engine/lessons/grade';
import { instantiate, parseLesson } from '../engine/lessons/parse';
import type { Grade, Lesson } from '../engine/lessons/types';
import { formatValidation, validateLesson } from '../engine/lessons/validate';
import { scenarioYaml } from '../engine/scenario/serialize';
import { UsageError } from './args';
import type { CliIo } from './io';

/** src/lessons/ and src/scenarios/, beside this module's folder (src/cli/ or src/.cli-bundle/). */
export const LESSONS_DIR = fileURLToPath(new URL('../lessons/', import.meta.url));
const SCENARIOS_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));

let registered = false;
function registerScenarios(): void {
  if (registered) return;
  registered = true;
  if (!existsSync(SCENARIOS_DIR)) return;
  const all: Record<string, string> = {};
  for (const f of readdirSync(SCENARIOS_DIR).filter((x) => x.endsWith('.yaml'))) all[f.replace(/\.yaml$/, '')] = readFileSync(join(SCENARIOS_DIR, f), 'utf8');
  registerBuiltinScenarios(all);
}

/** The built-in lesson files, by file name. */
export function builtinLessonFiles(): string[] {
  return existsSync(LESSONS_DIR) ? readdirSync(LESSONS_DIR).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(LESSONS_DIR, f)) : [];
}

/** A lesson by path or id; prints its errors and returns undefined when it does not load. */
export function loadLesson(io: CliIo, ref: string): Lesson | undefined {
  registerScenarios();
  const byId = join(LESSONS_DIR, `${ref}.yaml`);
  const file = /\.ya?ml$/.test(ref) || ref.includes('/') || !existsSync(byId) ? ref : byId;
  let text: string;
  try {
    // The package's own lessons are read from disk; a lesson the user names, through the CLI's io.
    text = file.startsWith(LESSONS_DIR) ? readFileSync(file, 'utf8') : io.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr(code === 'ENOENT' && file === ref && !/\.ya?ml$/.test(ref) ? `podpath lesson: no lesson "${ref}" (not a file, and not the id of a built-in lesson: podpath lesson list)\n` : `podpath lesson: ${file}: ${(e as Error).message}\n`);
    return undefined;
  }
  const shown = file.startsWith(LESSONS_DIR) ? `src/lessons/${basename(file)}` : file;
  const r = parseLesson(text, shown);
  if (!r.ok) {
    for (const e of r.errors) io.stderr(formatScenarioError(e) + '\n');
    return undefined;
  }
  return r.value;
}

export function runList(io: CliIo, json: boolean): number {
  registerScenarios();
  const lessons: Lesson[] = [];
  let status = 0;
  for (const f of builtinLessonFiles()) {
    const l = loadLesson(io, f);
    if (l) lessons.push(l);
    else status = 1;
  }
  lessons.sort((a, b) => (a.meta.order ?? 1e9) - (b.meta.order ?? 1e9) || (a.meta.id < b.meta.id ? -1 : 1));
  if (json) {
    const out = lessons.map((l) => ({
      id: l.meta.id,
      title: l.meta.title,
      ...(l.meta.order !== undefined ? { order: l.meta.order } : {}),
      topics: l.meta.topics,
      ...(l.meta.summary !== undefined ? { summary: l.meta.summary } : {}),
      activity: l.spec.activity,
      params: Object.keys(l.params),
      steps: l.spec.steps.map((s) => ({ id: s.id, title: s.title, ...(l.spec.activity ? { points: s.points } : {}), ...(s.predict ? { predict: s.predict.ask } : {}) })),
      questions: l.spec.questions.length,
    }));
    io.stdout(JSON.stringify(out, null, 2) + '\n');
    return status;
  }
  const rows = [['ID', 'TITLE', 'STEPS', 'TOPICS'], ...lessons.map((l) => [l.meta.id + (l.spec.activity ? ' (activity)' : ''), l.meta.title, String(l.spec.steps.length), l.meta.topics.join(',')])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  io.stdout(rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('   ')).join('\n') + '\n');
  return status;
}

export function runValidate(io: CliIo, refs: string[], seed: string | undefined): number {
  let status = 0;
  for (const ref of refs) {
    const l = loadLesson(io, ref);
    if (!l) {
      status = 1;
      continue;
    }
    const id = basename(l.file).replace(/\.ya?ml$/, '');
    if (id !== l.meta.id && l.file.startsWith('src/lessons/')) io.stderr(`${l.file}: metadata.id: Invalid value: "${l.meta.id}": a built-in lesson's id is its file name (${id})\n`);
    const report = validateLesson(l, seed ?? '');
    io.stdout(formatValidation(report, l.file));
    if (!report.ok) status = 1;
  }
  return status;
}

export function runStartOrSolve(io: CliIo, ref: string, seed: string | undefined, solve: boolean, submission: { learner?: string } | undefined): number {
  const l = loadLesson(io, ref);
  if (!l) return 1;
  const inst = instantiate(l, seed ?? '');
  // A learner starts at step 1 as its setup leaves the cluster (a lab is already broken there).
  const ctx = solve ? solvedContext(inst) : inst.spec.steps.length ? checkpoint(inst, 0) : startContext(inst);
  if (!ctx.ok) {
    for (const e of ctx.errors) io.stderr(formatScenarioError(e) + '\n');
    return 1;
  }
  const yaml = scenarioYaml(ctx.value.cluster);
  io.stdout(submission ? submissionYaml(l.meta.id, inst.seed, submission.learner ?? '', yaml, ctx.value) : yaml);
  return 0;
}

/** SUBMISSION arguments: files, and folders (their *.yaml files, sorted). */
function submissionFiles(args: string[]): string[] {
  return args.flatMap((a) => {
    let dir = false;
    try {
      dir = statSync(a).isDirectory();
    } catch {
      // a missing file is reported when it is read
    }
    return dir ? readdirSync(a).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(a, f)) : [a];
  });
}

export function runGrade(io: CliIo, ref: string, args: string[], format: 'text' | 'csv' | 'json'): number {
  const l = loadLesson(io, ref);
  if (!l) return 1;
  const files = submissionFiles(args);
  if (!files.length) throw new UsageError('no submission given');
  const grades: { file: string; grade: Grade }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (e) {
      grades.push({ file, grade: { learner: '', lesson: l.meta.id, seed: '', score: 0, max: l.spec.steps.reduce((n, s) => n + s.points, 0), checks: [], error: `${file}: ${(e as Error).message}` } });
      continue;
    }
    grades.push({ file, grade: gradeSubmission(l, text, file) });
  }
  if (format === 'json') io.stdout(JSON.stringify(grades.map(({ file, grade }) => ({ file, ...grade })), null, 2) + '\n');
  else if (format === 'csv') io.stdout(gradesCsv(l, grades));
  else {
    for (const { file, grade } of grades) {
      io.stdout(`${file}: ${grade.learner || '(no name)'}: ${grade.score}/${grade.max}${grade.error ? ` — ${grade.error}` : ''}\n`);
      if (grade.error) continue;
      for (const c of grade.checks) io.stdout(`  ${c.pass ? '✓' : '✗'} ${c.step} ${c.points}/${c.max}${c.pass ? '' : `: ${c.feedback ? `${c.feedback} ` : ''}(${c.message.replace(/\n/g, '; ')})`}\n`);
    }
  }
  return 0;
}
