import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradeSubmission } from './grade';
import { parseLesson } from './parse';
import { ACTIVITY, generateSubmissions } from './fixtures/submissions';

describe('grading the 30 generated submissions (what npm run bench:lessons times)', () => {
  it('gives each the grade its construction earns: right, partly right, wrong, tampered', () => {
    const parsed = parseLesson(readFileSync(ACTIVITY, 'utf8'), ACTIVITY);
    if (!parsed.ok) throw new Error('parse');
    const subs = generateSubmissions();
    expect(subs).toHaveLength(30);
    expect(new Set(subs.map((s) => s.kind))).toEqual(new Set(['right', 'deny-only', 'all-ports', 'wrong', 'tampered']));
    for (const s of subs) {
      const g = gradeSubmission(parsed.value, s.text, s.file);
      expect({ file: s.file, score: g.score, max: g.max, error: g.error }).toEqual({ file: s.file, score: s.expected, max: 6, error: undefined });
    }
    // A tampered file claims 6 in the file; the grade comes from its scenario.
    const t = subs.find((s) => s.kind === 'tampered')!;
    expect(t.text).toMatch(/^score: 6$/m);
  });
});

describe('gradeSubmission: what a submission cannot get away with', () => {
  const parsed = parseLesson(readFileSync(ACTIVITY, 'utf8'), ACTIVITY);
  if (!parsed.ok) throw new Error('parse');
  const lesson = parsed.value;
  const right = generateSubmissions()[0].text;

  it('re-runs recorded commands: a recorded status 0 for a line that fails now does not count', () => {
    const faked = right.replace('{"line":"kubectl exec frontend -- curl -s -m 2 http://backend","status":0}', '{"line":"kubectl exec frontend -- curl -s -m 2 http://nowhere","status":0}');
    const g = gradeSubmission(lesson, faked);
    expect(g.checks.find((c) => c.step === 'verify')).toMatchObject({ pass: false, points: 0, feedback: expect.stringContaining('kubectl exec') });
    expect(g.checks.find((c) => c.step === 'verify')!.message).toMatch(/exit [1-9]/);
  });

  it('reads what the app exports: traces with fields the tracer added, commands with their place', () => {
    const app = right.replace('- {"from":"frontend","to":"backend","proto":"tcp","port":80}', '- {"from":"frontend","to":"backend","proto":"tcp","port":80,"replySize":0}').replace('"status":0}', '"status":0,"place":"host"}');
    expect(app).not.toBe(right);
    expect(gradeSubmission(lesson, app)).toMatchObject({ score: 6, max: 6 });
  });

  it('a submission for another lesson, or whose scenario does not load, scores 0 with the reason', () => {
    expect(gradeSubmission(lesson, right.replace('lesson: "00-policy-activity"', 'lesson: "other"'))).toMatchObject({ score: 0, error: 'the submission is for lesson other, not 00-policy-activity' });
    const broken = gradeSubmission(lesson, right.replace('kind: Cluster', 'kind: Clusterr'));
    expect(broken.score).toBe(0);
    expect(broken.error).toMatch(/^the submitted scenario does not load: /);
    expect(broken.checks).toHaveLength(3);
    expect(gradeSubmission(lesson, 'kind: Submission\nlesson: 00-policy-activity\n').error).toMatch(/scenario: Required value/);
  });
});
