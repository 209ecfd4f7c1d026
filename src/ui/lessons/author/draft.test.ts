import yaml from 'js-yaml';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addStep, draftProblems, lessonDocument, lessonFileText, newDraft, scenarioPatch, slug, updateStep } from './draft';

const SCENARIO = 'apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: demo}\nspec: {cni: flannel}\n';

describe('the lesson draft', () => {
  it('slugs are [a-z0-9-]+ and never empty', () => {
    fc.assert(fc.property(fc.string(), (s) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug(s))));
    expect(slug('Across nodes: the VXLAN overlay')).toBe('across-nodes-the-vxlan-overlay');
  });

  it('step ids stay unique when added or renamed', () => {
    let d = newDraft(SCENARIO, 'Mine');
    d = addStep(addStep(addStep(d)));
    d = updateStep(d, 2, { id: 'step-1' });
    const ids = d.steps.map((s) => s.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids[2]).toBe('step-1-2');
  });

  it('says what is missing: a check, a solution', () => {
    let d = addStep(newDraft(SCENARIO, 'Mine'));
    expect(draftProblems(d)).toEqual([
      'Step 1 (step-1) has no task: say what the learner does.',
      'Step 1 (step-1) has no check: pick one from what is selected or from the last trace.',
      'Step 1 (step-1) has no reference solution: do the task (terminal, trace) while recording, or record a patch.',
    ]);
    d = updateStep(d, 0, { task: 'Trace it.', check: { trace: { last: true, verdict: 'delivered' } }, solution: { commands: [], traces: [{ from: 'client', to: 'web', proto: 'icmp' }] } });
    expect(draftProblems(d)).toEqual([]);
  });

  it('writes the file of docs/lessons.md: inline scenario, steps with check and solution, empty parts left out', () => {
    let d = addStep(newDraft(SCENARIO, 'My lesson'));
    d = updateStep(d, 0, {
      title: 'Ping',
      task: 'Trace client → web.',
      hints: ['', 'Use the Trace tab'],
      check: { trace: { last: true, verdict: 'delivered' } },
      solution: { commands: ['kubectl get pods -o wide'], traces: [{ from: 'client', to: 'web', proto: 'icmp', port: 80 }] },
    });
    const text = lessonFileText(d);
    const doc = yaml.load(text) as ReturnType<typeof lessonDocument>;
    expect(doc).toEqual(lessonDocument(d));
    expect(doc).toMatchObject({
      apiVersion: 'podpath.dev/v1alpha1',
      kind: 'Lesson',
      metadata: { id: 'my-lesson', title: 'My lesson' },
      spec: {
        scenario: { yaml: SCENARIO },
        steps: [{ id: 'step-1', title: 'Ping', task: 'Trace client → web.', hints: ['Use the Trace tab'], check: { trace: { last: true, verdict: 'delivered' } }, solution: { commands: ['kubectl get pods -o wide'], traces: [{ from: 'client', to: 'web', proto: 'icmp' }] } }],
      },
    });
    const step = (doc.spec as { steps: Record<string, unknown>[] }).steps[0];
    expect(Object.keys(step)).not.toContain('notice');
    expect(text).toContain('yaml: |');
  });

  it('writes a prediction about a trace before the step (the engine builds its choices)', () => {
    let d = addStep(newDraft(SCENARIO, 'P'));
    d = updateStep(d, 0, { predict: { trace: { from: 'client', to: 'web-2', proto: 'icmp' }, ask: 'wire-bytes' } });
    const step = (lessonDocument(d).spec as { steps: Record<string, unknown>[] }).steps[0];
    expect(step.predict).toEqual({ trace: { from: 'client', to: 'web-2', proto: 'icmp' }, ask: 'wire-bytes' });
  });
});

describe('the patch recorded from the author\'s edits', () => {
  const start = `${SCENARIO}---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: x}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {containers: [{name: c, image: x}]}\n`;
  it('holds the new and changed documents, names the deleted ones', () => {
    const now = `${SCENARIO}---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: y}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n`;
    const { patch, deleted } = scenarioPatch(start, now);
    const docs = yaml.loadAll(patch) as { kind: string; metadata: { name: string } }[];
    expect(docs.map((x) => `${x.kind}/${x.metadata.name}`)).toEqual(['Pod/a', 'Service/s']);
    expect(deleted).toEqual(['Pod/default/b']);
  });
  it('is empty when nothing changed (formatting aside)', () => {
    expect(scenarioPatch(start, start.replace('{name: a}', '{ name: a }'))).toEqual({ patch: '', deleted: [] });
  });
});
