/**
 * The lesson store over the real engine and an app store over the real engine: opening a lesson
 * loads its start, checks follow the engine state, predictions hold the packet, progress is kept.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hopCount } from '../trace/playback';
import { lessonEngine } from './lessonEngine';
import { createLessonStore, holdFor } from './lessonStore';
import { readActive, readProgress, type KeyValue } from './progress';
import { makeStoreNode } from './testStore';

const FIXTURE = readFileSync('src/engine/lessons/fixtures/00-one-ip-per-pod.yaml', 'utf8');

function memory(): KeyValue {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

function setup(storage: KeyValue = memory()) {
  const app = makeStoreNode();
  const lessons = createLessonStore(app, lessonEngine, storage);
  const parsed = lessonEngine.parseLesson(FIXTURE, 'fixture.yaml');
  if (!parsed.ok) throw new Error(parsed.errors[0].message);
  const doc = parsed.value;
  return { app, lessons, doc, storage };
}

/** Run a shell line as the terminal does: its record goes to the app's log. */
function shellLine(app: ReturnType<typeof makeStoreNode>, line: string, status = 0) {
  app.getState().logShell({ line, status, place: 'host' }, []);
}

describe('lesson store', () => {
  it('asks for the learner once when the lesson has variants, then opens at its start', () => {
    const { app, lessons, doc, storage } = setup();
    expect(lessons.getState().openLesson(doc, { kind: 'builtin', id: doc.meta.id })).toBe(false);
    expect(lessons.getState().askLearner?.doc).toBe(doc);
    lessons.getState().setLearner({ name: 'Ada', seed: 'ada' });
    const s = lessons.getState();
    expect(s.open?.inst.seed).toBe('ada');
    expect(app.getState().lesson).toEqual({ id: doc.meta.id, title: doc.meta.title });
    expect(app.getState().tab).toBe('lesson');
    // The lesson's cluster replaced the demo (an undoable change).
    expect(app.getState().cluster?.config.name).toBe('lesson');
    expect(app.getState().past.length).toBeGreaterThan(0);
    expect(readActive(storage)).toEqual({ id: doc.meta.id, source: { kind: 'builtin', id: doc.meta.id } });
    // A second lesson with variants does not ask again.
    const again = createLessonStore(makeStoreNode(), lessonEngine, storage);
    expect(again.getState().openLesson(doc, { kind: 'builtin', id: doc.meta.id })).toBe(true);
  });

  it('evaluates the step’s check on every shell line and remembers the pass', () => {
    const { app, lessons, doc, storage } = setup();
    lessons.getState().openLesson(doc, { kind: 'builtin', id: doc.meta.id }, { seed: 'ada' });
    expect(lessons.getState().check?.pass).toBe(false);
    shellLine(app, 'kubectl get pods', 0);
    expect(lessons.getState().check?.pass).toBe(false);
    shellLine(app, 'kubectl get pods -A -o wide', 0);
    expect(lessons.getState().check?.pass).toBe(true);
    expect(lessons.getState().progress?.passed).toEqual(['look']);
    expect(readProgress(storage, doc.meta.id)?.passed).toEqual(['look']);
    expect(readProgress(storage, doc.meta.id)?.commands.map((c) => c.line)).toContain('kubectl get pods -A -o wide');
  });

  it('shows hints one at a time, no further than there are', () => {
    const { lessons, doc } = setup();
    lessons.getState().openLesson(doc, { kind: 'builtin', id: doc.meta.id }, { seed: 'ada' });
    for (let i = 0; i < 5; i++) lessons.getState().showHint();
    expect(lessons.getState().progress?.hints.look).toBe(2);
  });

  it('a prediction plays the packet, holds it before the hop asked about, and scores the answer', () => {
    const { app, lessons, doc } = setup();
    lessons.getState().openLesson(doc, { kind: 'builtin', id: doc.meta.id }, { seed: 'ada' });
    lessons.getState().next(); // step 1 not passed: skipped to step 2's start state
    const p = lessons.getState().predict;
    expect(p?.phase).toBe('playing');
    expect(app.getState().hold).toBe(p!.hold);
    expect(p!.hold).toBe(holdFor(p!.prediction, app.getState().trace!.hops.length));
    // The clock (the panel's) steps until the hold.
    for (let i = 0; i < 50 && app.getState().playing; i++) app.getState().step(1);
    expect(app.getState().cursor).toBe(p!.hold);
    expect(lessons.getState().predict?.phase).toBe('asking');
    const wrong = (p!.prediction.answer + 1) % p!.prediction.choices.length;
    lessons.getState().commitPrediction(wrong);
    expect(lessons.getState().predict?.phase).toBe('revealed');
    expect(lessons.getState().progress?.predictions.ping).toEqual({ chosen: wrong, right: false });
    // The packet goes on past the hold.
    expect(app.getState().hold).toBeNull();
    for (let i = 0; i < 80 && app.getState().playing; i++) app.getState().step(1);
    expect(app.getState().cursor).toBe(hopCount(app.getState().trace) - 1);
  });

  it('reset puts the step’s start state back; skipping loads the next step’s start', () => {
    const { app, lessons, doc } = setup();
    lessons.getState().openLesson(doc, { kind: 'builtin', id: doc.meta.id }, { seed: 'ada', step: 2 });
    const start = app.getState().cluster;
    expect(lessons.getState().check?.pass).toBe(false);
    const ns = [...start!.pods.keys()].find((k) => k.endsWith('/a'))!.split('/')[0];
    // Solve it by applying the pod.
    const text = `${app.getState().appliedText.trimEnd()}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: ${ns}}\nspec:\n  nodeName: worker-2\n  containers: [{name: c, image: busybox:1.36}]\n`;
    app.getState().setScenarioText(text);
    expect(app.getState().applyScenario()).toBe(true);
    expect(lessons.getState().check?.pass).toBe(true);
    lessons.getState().resetStep();
    expect(app.getState().cluster?.pods.has(`${ns}/c`)).toBe(false);
    expect(lessons.getState().check?.pass).toBe(false);
    // Passed once: it stays done in the progress.
    expect(lessons.getState().progress?.passed).toContain('third');
  });

  it('practice questions are checked by the engine and scored; progress survives a new page', () => {
    const storage = memory();
    const { lessons, doc } = setup(storage);
    lessons.getState().openLesson(doc, { kind: 'builtin', id: doc.meta.id }, { seed: 'ada', step: 2 });
    lessons.getState().next();
    expect(lessons.getState().progress?.questions).toBe(true);
    expect(lessons.getState().answer('fqdn', ' Payment.Production.svc.cluster.local. ')).toBe(true);
    expect(lessons.getState().answer('nat', '0')).toBe(false);
    // A reload: a new app store on the autosaved cluster, the lesson resumed where it was.
    const app2 = makeStoreNode();
    const again = createLessonStore(app2, lessonEngine, storage);
    app2.getState().logShell({ line: 'noise', status: 0 }, []);
    expect(again.getState().openLesson(doc, { kind: 'builtin', id: doc.meta.id }, { cluster: 'keep' })).toBe(true);
    const p = again.getState().progress!;
    expect(p.step).toBe(2);
    expect(p.questions).toBe(true);
    expect(p.answers).toEqual({ fqdn: { answer: ' Payment.Production.svc.cluster.local. ', right: true }, nat: { answer: '0', right: false } });
    // The learner's log is the lesson's (the step's checkpoint ran step 1's solution), not the new page's.
    expect(app2.getState().commandLog.map((c) => c.line)).toEqual(['kubectl get pods -n lab -o wide']);
  });
});
