/**
 * Grading without a server: a submission (the learner's scenario, the traces and commands they
 * ran, their practice answers) is graded by evaluating every step's check on the submission's
 * own cluster, loaded by the engine. Nothing the file claims counts: scores or results written
 * into it are ignored; trace checks re-run the traces on the submitted cluster; `command`
 * checks use the recorded lines re-run in a fresh workstation shell on the submitted cluster
 * (their status and output, never the recorded ones). The checks themselves are evaluated on
 * the cluster as submitted (the re-run's changes are thrown away). A step earns its points
 * when its check passes; a failed one carries the check's message and the step's `feedback`.
 * A submission whose scenario does not load scores 0 with the load errors as feedback.
 */
import { engineShell } from '../engineShell';
import { loadCluster } from '../load';
import { ok, fail, type Result } from '../model/source';
import { parseYamlFile } from '../scenario/parseYaml';
import { decodeTraceRequest } from './checkSchema';
import { evaluateCheck } from './checks/index';
import { errorText } from './context';
import { Decoder, isMap } from './decode';
import { instantiate } from './parse';
import type { CommandRecord, Grade, Lesson, LessonContext, Submission } from './types';
import { positionErrors } from '../scenario/positions';
import type { TraceRequest } from '../trace/traceTypes';

export const SUBMISSION_KIND = 'Submission';
const TRACE_FIELDS = ['from', 'to', 'proto', 'port', 'size', 'df', 'ttl'];

/** A submission's fields, decoded; other fields (claims, scores) are read past and ignored. */
export function parseSubmission(text: string, file = 'submission.yaml'): Result<Submission> {
  const files = [{ name: file, text }];
  const docs = parseYamlFile(files[0]);
  if (!docs.ok) return docs;
  const list = docs.value.filter((x) => x !== null && x !== undefined);
  if (list.length !== 1 || !isMap(list[0])) return fail([{ file, line: 1, column: 1, message: 'a submission is one YAML document (a mapping)' }]);
  const m = list[0];
  const d = new Decoder({ file, doc: docs.value.indexOf(m), base: [], object: '' });
  if (m.kind !== SUBMISSION_KIND) d.error(['kind'], `Unsupported value: ${JSON.stringify(m.kind ?? null)}: supported values: "${SUBMISSION_KIND}"`);
  const lesson = d.str(m.lesson, ['lesson'], true);
  const scenario = d.str(m.scenario, ['scenario'], true);
  const traces: TraceRequest[] = [];
  (d.list(m.traces, ['traces']) ?? []).forEach((t, i) => {
    // What the tracer added to a request (replySize, DNS message views) is not the learner's: read past it.
    const known = isMap(t) ? Object.fromEntries(Object.entries(t).filter(([k]) => TRACE_FIELDS.includes(k))) : t;
    const r = decodeTraceRequest(d, known, ['traces', i]);
    if (r) traces.push(r);
  });
  const commands: CommandRecord[] = [];
  (d.list(m.commands, ['commands']) ?? []).forEach((c, i) => {
    // A bare string is a line; a record keeps only its line (status and output are recomputed).
    const line = typeof c === 'string' ? c : isMap(c) ? d.str(c.line, ['commands', i, 'line'], true) : d.str(c, ['commands', i], true);
    if (line !== undefined) commands.push({ line, status: 0 });
  });
  const answers = d.labels(m.answers, ['answers']) ?? {};
  if (!d.ok || lesson === undefined || scenario === undefined) return fail(positionErrors(files, d.problems.errors()));
  return ok({ lesson, seed: m.seed === undefined || m.seed === null ? '' : String(m.seed), learner: m.learner === undefined || m.learner === null ? '' : String(m.learner), scenario, traces, commands, answers });
}

/** The lines re-run, in order, in one fresh shell on `ctx.cluster`: their status, output and place now. */
function rerun(ctx: LessonContext, lines: string[]): CommandRecord[] {
  if (!lines.length) return [];
  const shell = engineShell(ctx.cluster);
  for (const line of lines) shell.run(line);
  return [...shell.commands];
}

export function gradeSubmission(lesson: Lesson, submissionText: string, file = 'submission.yaml'): Grade {
  const steps = lesson.spec.steps;
  const max = steps.reduce((n, s) => n + s.points, 0);
  const zero = (learner: string, seed: string, error: string): Grade => ({
    learner,
    lesson: lesson.meta.id,
    seed,
    score: 0,
    max,
    checks: steps.map((s) => ({ step: s.id, points: 0, max: s.points, pass: false, message: error, ...(s.feedback ? { feedback: s.feedback } : {}) })),
    error,
  });
  const sub = parseSubmission(submissionText, file);
  if (!sub.ok) return zero('', '', `the submission does not read: ${errorText(sub.errors)}`);
  const { learner, seed } = sub.value;
  if (sub.value.lesson !== lesson.meta.id) return zero(learner, seed, `the submission is for lesson ${sub.value.lesson}, not ${lesson.meta.id}`);
  const inst = instantiate(lesson, seed);
  const loaded = loadCluster([{ name: `${file} (scenario)`, text: sub.value.scenario }]);
  if (!loaded.ok) return zero(learner, seed, `the submitted scenario does not load: ${errorText(loaded.errors)}`);
  const base: LessonContext = { cluster: loaded.value, traces: sub.value.traces, commands: [], answers: sub.value.answers };
  const ctx: LessonContext = { ...base, commands: rerun(base, sub.value.commands.map((c) => c.line)) };
  const checks = inst.spec.steps.map((s) => {
    const r = evaluateCheck(s.check, ctx, inst);
    return { step: s.id, points: r.pass ? s.points : 0, max: s.points, pass: r.pass, message: r.message, ...(!r.pass && s.feedback ? { feedback: s.feedback } : {}) };
  });
  return { learner, lesson: lesson.meta.id, seed, score: checks.reduce((n, c) => n + c.points, 0), max, checks };
}

/** A submission file for a learner's context (what the app exports, and `lesson solve --submission`). */
export function submissionYaml(lessonId: string, seed: string, learner: string, scenarioText: string, ctx: Pick<LessonContext, 'traces' | 'commands' | 'answers'>): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [`apiVersion: podpath.dev/v1alpha1`, `kind: ${SUBMISSION_KIND}`, `lesson: ${q(lessonId)}`, `seed: ${q(seed)}`, `learner: ${q(learner)}`, 'scenario: |'];
  for (const l of scenarioText.replace(/\n$/, '').split('\n')) lines.push(l ? `  ${l}` : '');
  lines.push(ctx.traces.length ? 'traces:' : 'traces: []');
  for (const t of ctx.traces) lines.push(`- ${JSON.stringify(t)}`);
  lines.push(ctx.commands.length ? 'commands:' : 'commands: []');
  for (const c of ctx.commands) lines.push(`- ${JSON.stringify({ line: c.line, status: c.status })}`);
  const answers = Object.entries(ctx.answers);
  lines.push(answers.length ? 'answers:' : 'answers: {}');
  for (const [k, v] of answers) lines.push(`  ${q(k)}: ${q(v)}`);
  return lines.join('\n') + '\n';
}

/** Grades as CSV: one row per submission, one column per step's check (points earned), then the total. */
export function gradesCsv(lesson: Lesson, grades: { file: string; grade: Grade }[]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const head = ['file', 'learner', 'seed', ...lesson.spec.steps.map((s) => `${s.id} (${s.points})`), 'score', 'max', 'error'];
  const rows = grades.map(({ file, grade }) => [file, grade.learner, grade.seed, ...grade.checks.map((c) => c.points), grade.score, grade.max, grade.error ?? '']);
  return [head, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
