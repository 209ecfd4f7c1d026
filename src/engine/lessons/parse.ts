/**
 * parseLesson: a lesson file's text → a typed `Lesson`, or every problem, each naming
 * file:line:column and the field (the scenario loader's machinery: js-yaml without positions on
 * the fast path, scenario/positions.ts re-parses with positions only when there are errors).
 * The spec is decoded with every param at its first value; `${x}` naming no param is an error,
 * and so is a param value that would make the spec undecodable (tried: each choice, each end of
 * a range). instantiate() decodes again for a learner's seed.
 */
import { fail, ok, type Result, type ScenarioError } from '../model/source';
import { parseYamlFile } from '../scenario/parseYaml';
import { positionErrors } from '../scenario/positions';
import type { Path } from '../scenario/problems';
import { decodeCheck, decodeTraceRequest } from './checkSchema';
import { compact, Decoder, isMap, type Raw } from './decode';
import { chooseParams, firstValues, substitute, unknownRefs, type ParamValues } from './params';
import { PREDICT_ASKS, type Actions, type Lesson, type LessonInstance, type LessonSpec, type Param, type Predict, type Question, type ScenarioSource, type Solution, type Step } from './types';

export const LESSON_API_VERSION = 'podpath.dev/v1alpha1';
const ID = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export function parseLesson(text: string, file: string): Result<Lesson> {
  const files = [{ name: file, text }];
  const docs = parseYamlFile(files[0]);
  if (!docs.ok) return docs;
  const list = docs.value.filter((x) => x !== null && x !== undefined);
  if (list.length !== 1) return fail([{ file, line: 1, column: 1, message: `a lesson file holds exactly one YAML document (found ${list.length})` }]);
  const doc = list[0];
  const docIndex = docs.value.indexOf(doc);
  const d = new Decoder({ file, doc: docIndex, base: [], object: '' });
  const top = d.map(doc, [], ['apiVersion', 'kind', 'metadata', 'spec'], ['apiVersion', 'kind', 'metadata', 'spec']);
  if (!top) return fail(positionErrors(files, d.problems.errors()));
  if (top.apiVersion !== undefined && top.apiVersion !== LESSON_API_VERSION) d.error(['apiVersion'], `Unsupported value: "${String(top.apiVersion)}": supported values: "${LESSON_API_VERSION}"`);
  if (top.kind !== undefined && top.kind !== 'Lesson') d.error(['kind'], `Unsupported value: "${String(top.kind)}": supported values: "Lesson"`);
  const meta = decodeMeta(d, top.metadata);
  const spec = isMap(top.spec) ? top.spec : (d.map(top.spec, ['spec'], []), {});
  const params = decodeParams(d, spec.params, ['spec', 'params']);
  const rawSpec: Record<string, unknown> = { ...spec };
  delete rawSpec.params;
  for (const u of unknownRefs(rawSpec, new Set(Object.keys(params)), ['spec'])) d.error(u.path, `Invalid value: "\${${u.name}}": no param named "${u.name}" (spec.params)`);
  if (!d.ok || !meta) return fail(positionErrors(files, d.problems.errors()));

  const decoded = decodeSpec(d, substitute(rawSpec, firstValues(params)), ['spec']);
  if (!d.ok || !decoded) return fail(positionErrors(files, d.problems.errors()));
  // Every other value a param can take must decode too (a learner's seed may pick it).
  const errors: ScenarioError[] = [];
  for (const [name, p] of Object.entries(params)) {
    const alternatives = 'choose' in p ? p.choose.slice(1) : [p.range[1]];
    for (const v of alternatives) {
      const trial = new Decoder(d.place);
      decodeSpec(trial, substitute(rawSpec, { ...firstValues(params), [name]: v }), ['spec']);
      const first = trial.problems.errors()[0];
      if (first) errors.push({ ...first, message: `${first.message} (when ${name} is ${JSON.stringify(v)})` });
    }
  }
  if (errors.length) return fail(positionErrors(files, errors));
  return ok({ meta, file, params, spec: decoded, rawSpec });
}

/** The lesson for one learner: params from the seed, `${}` substituted, decoded. */
export function instantiate(lesson: Lesson, seed = ''): LessonInstance {
  const values = chooseParams(lesson.params, seed);
  return { lesson, seed, values, spec: specFor(lesson, values) };
}

function specFor(lesson: Lesson, values: ParamValues): LessonSpec {
  if (!Object.keys(values).length) return lesson.spec;
  const d = new Decoder({ file: lesson.file, doc: 0, base: [], object: '' });
  const spec = decodeSpec(d, substitute(lesson.rawSpec, values), ['spec']);
  // parseLesson decoded every value each param can take; a failure here is a bug.
  if (!spec || !d.ok) throw new Error(`lesson ${lesson.meta.id}: params ${JSON.stringify(values)} do not decode`);
  return spec;
}

function decodeMeta(d: Decoder, v: Raw): Lesson['meta'] | undefined {
  const path: Path = ['metadata'];
  const m = d.map(v, path, ['id', 'title', 'order', 'topics', 'summary'], ['id', 'title']);
  if (!m) return undefined;
  const id = d.str(m.id, [...path, 'id']);
  if (id !== undefined && !ID.test(id)) d.error([...path, 'id'], `Invalid value: "${id}": must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`);
  const title = d.str(m.title, [...path, 'title']);
  if (id === undefined || title === undefined) return undefined;
  return compact({ id, title, order: d.int(m.order, [...path, 'order']), topics: m.topics === undefined ? [] : (d.strings(m.topics, [...path, 'topics']) ?? []), summary: d.str(m.summary, [...path, 'summary']) });
}

function decodeParams(d: Decoder, v: Raw, path: Path): Record<string, Param> {
  const out: Record<string, Param> = {};
  if (v === undefined || v === null) return out;
  if (!isMap(v)) {
    d.map(v, path, []);
    return out;
  }
  for (const [name, x] of Object.entries(v)) {
    const p: Path = [...path, name];
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) d.error(p, `Invalid value: "${name}": a param name is a letter or _ then letters, digits, _ or -`);
    const m = d.map(x, p, ['choose', 'range']);
    if (!m) continue;
    if ((m.choose === undefined) === (m.range === undefined)) {
      d.error(p, 'exactly one of choose, range');
      continue;
    }
    if (m.choose !== undefined) {
      const l = d.list(m.choose, [...p, 'choose'], true);
      if (!l) continue;
      if (!l.length) d.error([...p, 'choose'], 'Required value: at least one value');
      const vals = l.filter((y, i) => (typeof y === 'string' || typeof y === 'number' ? true : (d.error([...p, 'choose', i], 'must be a string or a number'), false))) as (string | number)[];
      if (vals.length) out[name] = { choose: vals };
    } else {
      const l = d.list(m.range, [...p, 'range'], true);
      const lo = l && d.int(l[0], [...p, 'range', 0], true);
      const hi = l && d.int(l[1], [...p, 'range', 1], true);
      if (l && l.length !== 2) d.error([...p, 'range'], 'must be [low, high]');
      else if (typeof lo === 'number' && typeof hi === 'number') {
        if (hi < lo) d.error([...p, 'range'], `Invalid value: [${lo}, ${hi}]: low must not exceed high`);
        else out[name] = { range: [lo, hi] };
      }
    }
  }
  return out;
}

/** The spec (after substitution), or undefined with the problems recorded in `d`. */
export function decodeSpec(d: Decoder, v: Raw, path: Path): LessonSpec | undefined {
  const m = d.map(v, path, ['activity', 'scenario', 'steps', 'questions'], ['scenario', 'steps']);
  if (!m) return undefined;
  const scenario = decodeScenario(d, m.scenario, [...path, 'scenario']);
  const stepList = d.list(m.steps, [...path, 'steps'], true) ?? [];
  if (m.steps !== undefined && !stepList.length) d.error([...path, 'steps'], 'Required value: at least one step');
  const activity = d.bool(m.activity, [...path, 'activity']) ?? false;
  const steps = stepList.map((s, i) => decodeStep(d, s, [...path, 'steps', i], activity));
  const ids = new Set<string>();
  steps.forEach((s, i) => {
    if (!s) return;
    if (ids.has(s.id)) d.error([...path, 'steps', i, 'id'], `Duplicate value: "${s.id}"`);
    ids.add(s.id);
  });
  const qList = m.questions === undefined ? [] : (d.list(m.questions, [...path, 'questions']) ?? []);
  const questions = qList.map((q, i) => decodeQuestion(d, q, [...path, 'questions', i]));
  const qids = new Set<string>();
  questions.forEach((q, i) => {
    if (!q) return;
    if (qids.has(q.id)) d.error([...path, 'questions', i, 'id'], `Duplicate value: "${q.id}"`);
    qids.add(q.id);
  });
  // An `answer` check names a question of this lesson.
  steps.forEach((s, i) => {
    if (s) for (const q of answerRefs(s.check)) if (!qids.has(q)) d.error([...path, 'steps', i, 'check'], `Invalid value: "${q}": no question with this id (spec.questions)`);
  });
  if (!scenario || !d.ok) return undefined;
  return { activity, scenario, steps: steps as Step[], questions: questions as Question[] };
}

function answerRefs(c: import('./types').Check): string[] {
  if ('answer' in c) return [c.answer.question];
  if ('all' in c) return c.all.flatMap(answerRefs);
  if ('any' in c) return c.any.flatMap(answerRefs);
  if ('not' in c) return answerRefs(c.not);
  return [];
}

function decodeScenario(d: Decoder, v: Raw, path: Path): ScenarioSource | undefined {
  const m = d.map(v, path, ['builtin', 'yaml']);
  if (!m) return undefined;
  if ((m.builtin === undefined) === (m.yaml === undefined)) {
    d.error(path, 'exactly one of builtin, yaml');
    return undefined;
  }
  if (m.builtin !== undefined) {
    const b = d.str(m.builtin, [...path, 'builtin']);
    return b === undefined ? undefined : { builtin: b };
  }
  const y = d.str(m.yaml, [...path, 'yaml']);
  return y === undefined ? undefined : { yaml: y };
}

function decodeActions(d: Decoder, m: Record<string, unknown>, path: Path): Actions {
  return compact({
    commands: m.commands === undefined ? undefined : d.strings(m.commands, [...path, 'commands']),
    patch: d.str(m.patch, [...path, 'patch']),
  });
}

function decodeStep(d: Decoder, v: Raw, path: Path, activity: boolean): Step | undefined {
  const at = (k: string): Path => [...path, k];
  const m = d.map(v, path, ['id', 'title', 'explain', 'task', 'setup', 'check', 'hints', 'solution', 'notice', 'predict', 'points', 'feedback'], ['id', 'title', 'task', 'check', 'solution']);
  if (!m) return undefined;
  const id = d.str(m.id, at('id'));
  if (id !== undefined && !ID.test(id)) d.error(at('id'), `Invalid value: "${id}": must consist of lower case alphanumeric characters or '-'`);
  const setupMap = m.setup === undefined ? undefined : d.map(m.setup, at('setup'), ['commands', 'patch']);
  const solMap = d.map(m.solution, at('solution'), ['commands', 'patch', 'traces']);
  let solution: Solution | undefined;
  if (solMap) {
    const tl = solMap.traces === undefined ? undefined : d.list(solMap.traces, [...at('solution'), 'traces']);
    const traces = tl?.map((t, i) => decodeTraceRequest(d, t, [...at('solution'), 'traces', i])).filter((t) => !!t);
    solution = compact({ ...decodeActions(d, solMap, at('solution')), traces });
  }
  const check = m.check === undefined ? undefined : decodeCheck(d, m.check, at('check'));
  const points = d.int(m.points, at('points'), false, 0);
  if (points !== undefined && !activity) d.error(at('points'), 'Invalid value: points are for activities (spec.activity: true)');
  const title = d.str(m.title, at('title'));
  const task = d.str(m.task, at('task'));
  if (id === undefined || title === undefined || task === undefined || !check || !solution) return undefined;
  return compact({
    id,
    title,
    explain: d.str(m.explain, at('explain')) ?? '',
    task,
    setup: setupMap ? decodeActions(d, setupMap, at('setup')) : undefined,
    check,
    hints: m.hints === undefined ? [] : (d.strings(m.hints, at('hints')) ?? []),
    solution,
    notice: d.str(m.notice, at('notice')),
    predict: m.predict === undefined ? undefined : decodePredict(d, m.predict, at('predict')),
    points: points ?? 1,
    feedback: d.str(m.feedback, at('feedback')),
  });
}

function decodePredict(d: Decoder, v: Raw, path: Path): Predict | undefined {
  const m = d.map(v, path, ['trace', 'ask', 'at'], ['trace', 'ask']);
  if (!m) return undefined;
  const trace = decodeTraceRequest(d, m.trace, [...path, 'trace']);
  const ask = d.oneOf(m.ask, [...path, 'ask'], PREDICT_ASKS);
  const atMap = m.at === undefined ? undefined : d.map(m.at, [...path, 'at'], ['action', 'node', 'device', 'netns']);
  const at = atMap ? compact({ action: d.str(atMap.action, [...path, 'at', 'action']), node: d.str(atMap.node, [...path, 'at', 'node']), device: d.str(atMap.device, [...path, 'at', 'device']), netns: d.str(atMap.netns, [...path, 'at', 'netns']) }) : undefined;
  if (!trace || !ask) return undefined;
  return compact({ trace, ask, at });
}

function decodeQuestion(d: Decoder, v: Raw, path: Path): Question | undefined {
  const at = (k: string): Path => [...path, k];
  const m = d.map(v, path, ['id', 'type', 'prompt', 'accept', 'choices', 'answer', 'explain'], ['id', 'type', 'prompt']);
  if (!m) return undefined;
  const id = d.str(m.id, at('id'));
  const type = d.oneOf(m.type, at('type'), ['text', 'choice'] as const);
  const prompt = d.str(m.prompt, at('prompt'));
  const explain = d.str(m.explain, at('explain'));
  if (id === undefined || type === undefined || prompt === undefined) return undefined;
  if (type === 'text') {
    if (m.choices !== undefined) d.error(at('choices'), 'Invalid value: choices are for type: choice');
    const accept = d.strings(m.accept, at('accept'), true);
    if (m.accept === undefined) d.error(at('accept'), 'Required value');
    return accept ? compact({ id, type, prompt, accept, explain }) : undefined;
  }
  if (m.accept !== undefined) d.error(at('accept'), 'Invalid value: accept is for type: text');
  const choices = d.strings(m.choices, at('choices'));
  if (m.choices === undefined) d.error(at('choices'), 'Required value');
  const answer = d.int(m.answer, at('answer'), true, 0);
  if (choices && answer !== undefined && answer >= choices.length) d.error(at('answer'), `Invalid value: ${answer}: an index into choices (0 to ${choices.length - 1})`);
  return choices && answer !== undefined ? compact({ id, type, prompt, choices, answer, explain }) : undefined;
}
