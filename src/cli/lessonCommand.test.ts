import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_DIR } from './launcher.mjs';
import { LESSONS_DIR } from './lessonCommand';
import { memoryIo } from './memoryIo';
import { runCli } from './runCli';

const FIX = join(__dirname, '../engine/lessons/fixtures');
const files = Object.fromEntries(['00-one-ip-per-pod', '00-policy-activity'].map((id) => [`${id}.yaml`, readFileSync(join(FIX, `${id}.yaml`), 'utf8')]));

async function cli(args: string[], extra: Record<string, string> = {}) {
  const io = memoryIo({ ...files, ...extra });
  const status = await runCli(args, io);
  return { status, out: io.out, err: io.err };
}

describe('podpath lesson', () => {
  it('list --json: an array of objects (empty or not), exit 0', async () => {
    const r = await cli(['lesson', 'list', '--json']);
    expect(r.status).toBe(0);
    const list = JSON.parse(r.out) as { id: string; steps: unknown[] }[];
    expect(Array.isArray(list)).toBe(true);
    for (const l of list) expect(l).toMatchObject({ id: expect.any(String), title: expect.any(String), topics: expect.any(Array), steps: expect.any(Array) });
  });

  it('validate: each step fails at its start and passes after its solution; exit 1 with the reason when one does not', async () => {
    const ok = await cli(['lesson', 'validate', '00-one-ip-per-pod.yaml', '00-policy-activity.yaml', '--seed', 'ada']);
    expect(ok.err).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.out).toMatch(/✓ step look\n {2}✓ step ping\n {2}✓ step third\n {2}ok/);
    // A step whose check already holds at its start is caught.
    const broken = files['00-policy-activity.yaml'].replace('{ policy: { from: other, to: backend, port: 80, allowed: false } }', '{ policy: { from: other, to: backend, port: 80, allowed: true } }');
    const bad = await cli(['lesson', 'validate', 'b.yaml'], { 'b.yaml': broken });
    expect(bad.status).toBe(1);
    expect(bad.out).toMatch(/✗ step isolate\n {6}fails after its solution: expected other → backend on TCP\/80 to be allowed; it is denied/);
    expect(bad.out).toMatch(/FAILED/);
  });

  it('validate: a lesson that does not parse names file:line and the field; an unknown id says so', async () => {
    const r = await cli(['lesson', 'validate', 'c.yaml'], { 'c.yaml': files['00-policy-activity.yaml'].replace('ask: ', 'askk: ').replace('points: 3', 'points: three') });
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/^c\.yaml:\d+:\d+: spec\.steps\[1\]\.points: must be an integer \(got string "three"\)$/m);
    const u = await cli(['lesson', 'validate', 'no-such-lesson']);
    expect(u.status).toBe(1);
    expect(u.err).toMatch(/no lesson "no-such-lesson"/);
  });

  it('start and solve print scenario YAML; solve --submission grades full marks', async () => {
    const start = await cli(['lesson', 'start', '00-policy-activity.yaml']);
    expect(start.status).toBe(0);
    expect(start.out).toMatch(/^# podpath scenario/);
    expect(start.out).not.toContain('NetworkPolicy');
    const solved = await cli(['lesson', 'solve', '00-policy-activity.yaml']);
    expect(solved.out).toContain('name: backend-allow-frontend');
    const sub = await cli(['lesson', 'solve', '00-policy-activity.yaml', '--submission', '--learner', 'Ada']);
    expect(sub.out).toMatch(/^apiVersion: podpath\.dev\/v1alpha1\nkind: Submission\nlesson: "00-policy-activity"/);
    const g = await cli(['lesson', 'grade', '00-policy-activity.yaml', 'ada.yaml', '--json'], { 'ada.yaml': sub.out });
    expect(g.status).toBe(0);
    const [grade] = JSON.parse(g.out);
    expect(grade).toMatchObject({ file: 'ada.yaml', learner: 'Ada', score: 6, max: 6 });
    expect(grade.checks.map((c: { step: string; pass: boolean }) => [c.step, c.pass])).toEqual([
      ['isolate', true],
      ['allow-frontend', true],
      ['verify', true],
    ]);
  });

  it('grade ignores claims: a submission whose scenario is the start earns only what it does; CSV one row each', async () => {
    const start = (await cli(['lesson', 'start', '00-policy-activity.yaml'])).out;
    const claim = ['apiVersion: podpath.dev/v1alpha1', 'kind: Submission', 'lesson: 00-policy-activity', 'learner: Mallory', 'score: 6', 'results: {isolate: pass}', 'scenario: |', ...start.trimEnd().split('\n').map((l) => (l ? `  ${l}` : ''))].join('\n') + '\n';
    const broken = 'apiVersion: podpath.dev/v1alpha1\nkind: Submission\nlesson: 00-policy-activity\nlearner: Eve\nscenario: "kind: Nope"\n';
    const g = await cli(['lesson', 'grade', '00-policy-activity.yaml', 'm.yaml', 'e.yaml', '--csv'], { 'm.yaml': claim, 'e.yaml': broken });
    expect(g.status).toBe(0);
    const rows = g.out.trimEnd().split('\n');
    expect(rows[0]).toBe('file,learner,seed,isolate (2),allow-frontend (3),verify (1),score,max,error');
    expect(rows[1]).toBe('m.yaml,Mallory,,0,0,0,0,6,');
    expect(rows[2]).toMatch(/^e\.yaml,Eve,,0,0,0,0,6,"?the submitted scenario does not load/);
  });

  it('finds src/lessons/ from the bundle as from the sources: both sit one folder below src/', () => {
    expect(LESSONS_DIR.replace(/\\/g, '/')).toMatch(/\/src\/lessons\/$/);
    expect(BUNDLE_DIR.split('/')).toEqual(['src', expect.stringMatching(/^[^/]+$/)]);
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['lesson', 'grade', '00-policy-activity.yaml'])).status).toBe(2);
    expect((await cli(['lesson', 'list', '--seed', 'x'])).status).toBe(2);
    expect((await cli(['lesson', 'frobnicate'])).status).toBe(2);
  });
});
