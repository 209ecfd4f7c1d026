import { describe, expect, it } from 'vitest';
import { formatScenarioError } from '../model/source';
import { checkpoint, enterStep, solveStep, startContext } from './context';
import { instantiate, parseLesson } from './parse';
import { fixture } from './testLessons';

const errorsOf = (text: string) => {
  const r = parseLesson(text, 'l.yaml');
  return r.ok ? [] : r.errors.map(formatScenarioError);
};

const MINI = `apiVersion: podpath.dev/v1alpha1
kind: Lesson
metadata: {id: mini, title: Mini}
spec:
  scenario: {builtin: demo}
  steps:
  - id: one
    title: One
    task: Do it
    check: {pod: {name: client}}
    solution: {commands: ["kubectl get pods"]}
`;

describe('parseLesson', () => {
  it('reads the fixture lessons', () => {
    const l = fixture('00-one-ip-per-pod');
    expect(l.meta).toMatchObject({ id: '00-one-ip-per-pod', topics: ['pod-ip', 'flat-network'] });
    expect(l.spec.steps.map((s) => s.id)).toEqual(['look', 'ping', 'third']);
    expect(l.spec.questions.map((q) => q.type)).toEqual(['text', 'choice']);
    expect(l.params.ns).toEqual({ choose: ['shop', 'lab', 'blue'] });
    expect(fixture('00-policy-activity').spec.steps.map((s) => s.points)).toEqual([2, 3, 1]);
  });

  it('accepts a minimal lesson with defaults', () => {
    const r = parseLesson(MINI, 'l.yaml');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.spec).toMatchObject({ activity: false, questions: [], steps: [{ hints: [], points: 1, explain: '' }] });
  });

  it('names file:line and the field of each problem', () => {
    expect(errorsOf(MINI.replace('check: {pod: {name: client}}', 'check: {pods: {count: 1}, pod: {name: x}}'))).toEqual([
      expect.stringMatching(/^l\.yaml:10:\d+: spec\.steps\[0\]\.check: a check has exactly one key/),
    ]);
    expect(errorsOf(MINI.replace('{pod: {name: client}}', '{pod: {name: client, colour: red}}'))).toEqual([expect.stringMatching(/^l\.yaml:10:\d+: spec\.steps\[0\]\.check\.pod\.colour: unknown field "spec\.steps\[0\]\.check\.pod\.colour"/)]);
    expect(errorsOf(MINI.replace('{pod: {name: client}}', '{trace: {last: true, verdict: lost}}'))).toEqual([expect.stringMatching(/^l\.yaml:10:\d+: spec\.steps\[0\]\.check\.trace\.verdict: Unsupported value: "lost": supported values: "delivered", "dropped", "unreachable"/)]);
    expect(errorsOf(MINI.replace('    task: Do it\n', ''))).toEqual([expect.stringMatching(/^l\.yaml:7:\d+: spec\.steps\[0\]\.task: Required value/)]);
    expect(errorsOf(MINI.replace('id: mini', 'id: Mini_1'))).toEqual([expect.stringMatching(/^l\.yaml:3:\d+: metadata\.id: Invalid value: "Mini_1"/)]);
    expect(errorsOf(MINI.replace('title: One', 'title: One ${who}'))).toEqual([expect.stringMatching(/^l\.yaml:8:\d+: spec\.steps\[0\]\.title: Invalid value: "\$\{who\}": no param named "who"/)]);
    expect(errorsOf('a: [')).toEqual([expect.stringMatching(/^l\.yaml:\d+:\d+: error converting YAML to JSON/)]);
  });

  it('refuses a param value that would not decode, naming the param', () => {
    const text = MINI.replace('spec:\n', 'spec:\n  params:\n    n: {choose: [1, many]}\n').replace('{pod: {name: client}}', '{pods: {count: "${n}"}}');
    expect(errorsOf(text)).toEqual([expect.stringMatching(/spec\.steps\[0\]\.check\.pods\.count: must be an integer.*\(when n is "many"\)/)]);
  });
});

describe('instantiate', () => {
  const lesson = fixture('00-one-ip-per-pod');
  it('chooses params from the seed, the same every time', () => {
    const a = instantiate(lesson, 'ada');
    expect(instantiate(lesson, 'ada').values).toEqual(a.values);
    const seen = new Set(['ada', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus'].map((s) => instantiate(lesson, s).values.ns));
    expect(seen.size).toBeGreaterThan(1);
    const ns = String(a.values.ns);
    expect(a.spec.steps[1].task).toBe(`Trace a ping from \`${ns}/a\` to \`${ns}/b\`.`);
    expect(a.spec.steps[1].solution.traces).toEqual([{ from: `${ns}/a`, to: `${ns}/b`, proto: 'icmp' }]);
  });

  it('keeps a whole-string ${} typed (a number stays a number)', () => {
    const r = parseLesson(MINI.replace('spec:\n', 'spec:\n  params:\n    n: {range: [2, 4]}\n').replace('{pod: {name: client}}', '{pods: {count: "${n}"}}'), 'l.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const seed of ['a', 'b', 'c', 'd']) {
      const c = instantiate(r.value, seed).spec.steps[0].check as { pods: { count: number } };
      expect([2, 3, 4]).toContain(c.pods.count);
    }
  });
});

describe('contexts', () => {
  const inst = instantiate(fixture('00-one-ip-per-pod'), 'ada');
  const ns = String(inst.values.ns);
  it('starts from the lesson scenario, with its params', () => {
    const r = startContext(inst);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.value.cluster.pods.keys()]).toEqual(expect.arrayContaining([`${ns}/a`, `${ns}/b`]));
    expect(r.value.cluster.config.podCIDR.toString()).toBe(inst.values.podCidr);
  });

  it('records solution commands and traces as the learner’s; a checkpoint replays the steps before', () => {
    const s = startContext(inst);
    if (!s.ok) throw new Error('start');
    const e = enterStep(inst, 0, s.value);
    if (!e.ok) throw new Error('enter');
    const solved = solveStep(inst, 0, e.value);
    if (!solved.ok) throw new Error('solve');
    expect(solved.value.commands).toEqual([expect.objectContaining({ line: `kubectl get pods -n ${ns} -o wide`, status: 0, place: 'host' })]);
    expect(solved.value.commands[0].stdout).toMatch(/^NAME\s+READY/);
    const cp = checkpoint(inst, 2);
    if (!cp.ok) throw new Error('checkpoint');
    expect(cp.value.commands).toHaveLength(1);
    expect(cp.value.traces).toEqual([{ from: `${ns}/a`, to: `${ns}/b`, proto: 'icmp' }]);
    expect(cp.value.cluster.pods.has(`${ns}/c`)).toBe(false);
    const last = solveStep(inst, 2, cp.value);
    expect(last.ok && last.value.cluster.pods.get(`${ns}/c`)?.nodeName).toBe('worker-2');
  });

  it('reports a builtin scenario nobody registered', () => {
    const r = parseLesson(MINI.replace('builtin: demo', 'builtin: nowhere'), 'l.yaml');
    if (!r.ok) throw new Error('parse');
    const s = startContext(instantiate(r.value));
    expect(s.ok ? '' : formatScenarioError(s.errors[0])).toMatch(/spec\.scenario\.builtin: Unsupported value: "nowhere"/);
  });
});
