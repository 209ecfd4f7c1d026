/**
 * validateLesson: a lesson's own test, run by `podpath lesson validate` and by `npm test` on
 * every built-in lesson. For each step, its check must fail at the step's start (the checkpoint:
 * earlier steps set up and solved, this step set up) and pass after the step's reference
 * solution; every prediction must be buildable at its step's start; every question must accept
 * its own answer (each `accept` item, the `answer` choice).
 */
import { checkAnswer } from './answers';
import { evaluateCheck } from './checks/index';
import { enterStep, errorText, solveStep, startContext } from './context';
import { instantiate } from './parse';
import { predictionFor } from './prediction';
import type { CheckResult, Lesson, LessonContext, StepValidation, ValidationReport } from './types';

const none: CheckResult = { pass: false, kind: 'none', message: 'not evaluated' };

export function validateLesson(lesson: Lesson, seed = ''): ValidationReport {
  const inst = instantiate(lesson, seed);
  const report: ValidationReport = { lesson: lesson.meta.id, seed, ok: true, steps: [], questions: [] };
  const start = startContext(inst);
  if (!start.ok) return { ...report, ok: false, error: `the lesson's scenario does not load:\n${errorText(start.errors)}` };
  let ctx: LessonContext = start.value;
  for (let i = 0; i < inst.spec.steps.length; i++) {
    const step = inst.spec.steps[i];
    const v: StepValidation = { step: step.id, before: none, after: none, ok: false };
    report.steps.push(v);
    const entered = enterStep(inst, i, ctx);
    if (!entered.ok) {
      v.error = `setup: ${errorText(entered.errors)}`;
      break;
    }
    v.before = evaluateCheck(step.check, entered.value, inst);
    if (step.predict) {
      try {
        const p = predictionFor(inst, i, entered.value);
        v.prediction = p ? { ok: true, message: `${p.question} → ${p.choices[p.answer]}` } : { ok: false, message: 'no prediction could be built' };
      } catch (e) {
        v.prediction = { ok: false, message: (e as Error).message };
      }
    }
    const solved = solveStep(inst, i, entered.value);
    if (!solved.ok) {
      v.error = `solution: ${errorText(solved.errors)}`;
      break;
    }
    v.after = evaluateCheck(step.check, solved.value, inst);
    v.ok = !v.before.pass && v.after.pass && (v.prediction?.ok ?? true);
    ctx = solved.value;
  }
  for (const q of inst.spec.questions) {
    const answers = q.type === 'text' ? q.accept : [String(q.answer)];
    const bad = answers.filter((a) => !checkAnswer(q, a));
    report.questions.push({ id: q.id, ok: !bad.length, message: bad.length ? `its own answer ${JSON.stringify(bad[0])} is not accepted` : 'its answer is accepted' });
  }
  report.ok = report.steps.length === inst.spec.steps.length && report.steps.every((s) => s.ok) && report.questions.every((q) => q.ok);
  return report;
}

/** The report as `lesson validate` prints it: one line per step and question, then the verdict. */
export function formatValidation(r: ValidationReport, file: string): string {
  const out: string[] = [`${file}: lesson ${r.lesson}${r.seed ? ` (seed ${JSON.stringify(r.seed)})` : ''}`];
  if (r.error) out.push(`  ✗ ${r.error.replace(/\n/g, '\n    ')}`);
  for (const s of r.steps) {
    out.push(`  ${s.ok ? '✓' : '✗'} step ${s.step}`);
    if (s.error) out.push(`      ${s.error.replace(/\n/g, '\n      ')}`);
    else {
      if (s.before.pass) out.push(`      passes before its task (it must fail): ${s.before.message.replace(/\n/g, '; ')}`);
      if (!s.after.pass) out.push(`      fails after its solution: ${s.after.message.replace(/\n/g, '; ')}`);
      if (s.prediction && !s.prediction.ok) out.push(`      prediction: ${s.prediction.message}`);
    }
  }
  for (const q of r.questions) if (!q.ok) out.push(`  ✗ question ${q.id}: ${q.message}`);
  out.push(r.ok ? '  ok' : '  FAILED');
  return out.join('\n') + '\n';
}
