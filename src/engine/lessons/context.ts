/**
 * The learner's context through a lesson: the start cluster, then each step's setup (what the
 * lesson does: a lab breaks something) and reference solution (what a learner would do: its shell
 * lines are recorded as the learner's commands, its traces as the learner's traces). Pure: a
 * context is never changed in place; each function returns a new one.
 *
 * Order inside `setup` and `solution`: the `patch` is applied first (like `kubectl apply -f`),
 * then the `commands` run in order in one workstation shell; a solution's `traces` come last.
 * A patch that does not apply is an error; a command that exits non-zero is not (a lab's
 * diagnosis may fail on purpose), it is recorded with its status.
 *
 * Built-in scenarios (`scenario: {builtin: NAME}`) come from registerBuiltinScenarios: the CLI
 * registers src/scenarios/*.yaml, the app its bundled copies; the engine reads no files.
 */
import { applyManifests } from '../controllers/apply';
import { engineShell } from '../engineShell';
import { loadCluster } from '../load';
import type { Cluster } from '../model/cluster';
import { fail, formatScenarioError, ok, type Result, type ScenarioError } from '../model/source';
import type { Actions, LessonContext, LessonInstance, Solution } from './types';

const builtins = new Map<string, string>();

/** Make built-in scenarios (name → YAML text, e.g. `demo`) available to lessons that name them. */
export function registerBuiltinScenarios(scenarios: Record<string, string>): void {
  for (const [name, text] of Object.entries(scenarios)) builtins.set(name, text);
}

export function builtinScenario(name: string): string | undefined {
  return builtins.get(name);
}

const err = (file: string, message: string): ScenarioError[] => [{ file, message }];

/** The scenario text a lesson instance starts from, and the name its errors carry. */
export function scenarioTextOf(inst: LessonInstance): Result<{ name: string; text: string }> {
  const s = inst.spec.scenario;
  if ('yaml' in s) return ok({ name: `${inst.lesson.file} (spec.scenario.yaml)`, text: s.yaml });
  const text = builtins.get(s.builtin);
  if (text === undefined) {
    const known = [...builtins.keys()].sort();
    return fail(err(inst.lesson.file, `spec.scenario.builtin: Unsupported value: "${s.builtin}": supported values: ${known.map((k) => `"${k}"`).join(', ') || '(none registered)'}`));
  }
  return ok({ name: `${s.builtin}.yaml`, text });
}

/** The lesson's start: its scenario loaded, no commands, traces or answers yet. */
export function startContext(inst: LessonInstance): Result<LessonContext> {
  const src = scenarioTextOf(inst);
  if (!src.ok) return src;
  const loaded = loadCluster([src.value]);
  if (!loaded.ok) return loaded;
  return ok({ cluster: loaded.value, traces: [], commands: [], answers: {} });
}

/** Apply a patch and run commands; `record` adds the lines and their traces to the learner's history. */
export function runActions(ctx: LessonContext, actions: Actions | Solution, where: string, record: boolean): Result<LessonContext> {
  let cluster: Cluster = ctx.cluster;
  if (actions.patch !== undefined && actions.patch.trim() !== '') {
    const r = applyManifests(cluster, [{ name: `${where}.patch`, text: actions.patch }]);
    if (!r.ok) return fail(r.errors.map((e) => ({ ...e, message: e.message })));
    cluster = r.value.cluster;
  }
  let commands = ctx.commands;
  let traces = ctx.traces;
  if (actions.commands?.length) {
    const shell = engineShell(cluster);
    for (const line of actions.commands) shell.run(line);
    if (shell.prompt === '> ') return fail(err(where, `commands: a here-document is not closed: ${JSON.stringify(actions.commands[actions.commands.length - 1])}`));
    cluster = shell.cluster;
    if (record) {
      commands = [...commands, ...shell.commands];
      traces = [...traces, ...shell.traceRequests];
    }
  }
  if (record && 'traces' in actions && actions.traces?.length) traces = [...traces, ...actions.traces];
  return ok({ ...ctx, cluster, commands, traces });
}

function stepAt(inst: LessonInstance, stepIndex: number) {
  const step = inst.spec.steps[stepIndex];
  if (!step) throw new RangeError(`lesson ${inst.lesson.meta.id} has no step ${stepIndex} (it has ${inst.spec.steps.length})`);
  return step;
}

/** Run step `stepIndex`'s setup on `ctx` (the learner arrives at the step). */
export function enterStep(inst: LessonInstance, stepIndex: number, ctx: LessonContext): Result<LessonContext> {
  const step = stepAt(inst, stepIndex);
  return step.setup ? runActions(ctx, step.setup, `${inst.lesson.file}: steps[${stepIndex}] (${step.id}) setup`, false) : ok(ctx);
}

/** Run step `stepIndex`'s reference solution on `ctx`, recording its commands and traces as the learner's. */
export function solveStep(inst: LessonInstance, stepIndex: number, ctx: LessonContext): Result<LessonContext> {
  const step = stepAt(inst, stepIndex);
  return runActions(ctx, step.solution, `${inst.lesson.file}: steps[${stepIndex}] (${step.id}) solution`, true);
}

/**
 * The state a learner finds step `stepIndex` in: the start, each earlier step's setup and
 * solution, then this step's own setup (so do not call enterStep on the result). A step reset
 * (checkpoint) and `lesson validate`'s "fails at the start" both use it.
 */
export function checkpoint(inst: LessonInstance, stepIndex: number): Result<LessonContext> {
  stepAt(inst, stepIndex);
  let r = startContext(inst);
  for (let i = 0; r.ok && i < stepIndex; i++) {
    r = enterStep(inst, i, r.value);
    if (r.ok) r = solveStep(inst, i, r.value);
  }
  return r.ok ? enterStep(inst, stepIndex, r.value) : r;
}

/** The context after every step's setup and reference solution (`lesson solve`). */
export function solvedContext(inst: LessonInstance): Result<LessonContext> {
  let r = startContext(inst);
  for (let i = 0; r.ok && i < inst.spec.steps.length; i++) {
    r = enterStep(inst, i, r.value);
    if (r.ok) r = solveStep(inst, i, r.value);
  }
  return r;
}

/** Errors as one message (validation reports, grade feedback). */
export function errorText(errors: ScenarioError[]): string {
  return errors.map(formatScenarioError).join('\n');
}
