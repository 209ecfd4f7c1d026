// @vitest-environment jsdom
/** The lesson panel: what it shows comes from the lesson store; a prediction is answered by keyboard. */
import { readFileSync } from 'node:fs';
import { act, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeStore, renderApp } from '../testing/renderApp';
import { lessonEngine } from './lessonEngine';
import { LessonPanel } from './LessonPanel';
import { createLessonStore } from './lessonStore';
import { submissionText } from './submission';
import jsyaml from 'js-yaml';

const FIXTURE = readFileSync('src/engine/lessons/fixtures/00-one-ip-per-pod.yaml', 'utf8');

function open(step = 0) {
  const app = makeStore();
  const lessons = createLessonStore(app, lessonEngine, null);
  const parsed = lessonEngine.parseLesson(FIXTURE, 'fixture.yaml');
  if (!parsed.ok) throw new Error(parsed.errors[0].message);
  lessons.getState().openLesson(parsed.value, { kind: 'builtin', id: 'fixture' }, { seed: 'ada', step });
  return { app, lessons };
}

describe('LessonPanel', () => {
  it('shows the step, its live check, and hints one at a time', async () => {
    const { app, lessons } = open();
    renderApp(<LessonPanel lessons={lessons} />, { store: app });
    expect(screen.getByTestId('lesson-step').textContent).toContain('Where do the pods live?');
    expect(screen.getByTestId('lesson-check').dataset.pass).toBe('false');
    await userEvent.click(screen.getByTestId('lesson-show-hint'));
    expect(screen.getAllByTestId('lesson-hint')).toHaveLength(1);
    expect(screen.getByTestId('lesson-show-hint').textContent).toContain('2 of 2');
    act(() => app.getState().logShell({ line: 'kubectl get pods -A -o wide', status: 0, place: 'host' }, []));
    expect(screen.getByTestId('lesson-check').dataset.pass).toBe('true');
    expect(screen.getByTestId('lesson-notice').textContent).toContain('PodCIDR');
    expect(screen.getByTestId('lesson-next').textContent).toContain('Next');
  });

  it('a prediction waits for the packet, then takes a number key and Enter, and reveals', () => {
    const { app, lessons } = open(1);
    renderApp(<LessonPanel lessons={lessons} />, { store: app });
    expect(screen.getByTestId('lesson-predict').dataset.phase).toBe('playing');
    // The task, check and Next wait until the learner has committed.
    expect(screen.queryByTestId('lesson-check')).toBeNull();
    expect((screen.getByTestId('lesson-next') as HTMLButtonElement).disabled).toBe(true);
    act(() => {
      for (let i = 0; i < 60 && app.getState().playing; i++) app.getState().step(1);
    });
    expect(screen.getByTestId('lesson-predict').dataset.phase).toBe('asking');
    const group = screen.getByTestId('lesson-choices');
    expect(document.activeElement).toBe(group);
    const p = lessons.getState().predict!;
    fireEvent.keyDown(group, { key: String(p.prediction.answer + 1) });
    expect(lessons.getState().predict?.focus).toBe(p.prediction.answer);
    fireEvent.keyDown(group, { key: 'ArrowDown' });
    fireEvent.keyDown(group, { key: 'ArrowUp' });
    fireEvent.keyDown(group, { key: 'Enter' });
    expect(screen.getByTestId('lesson-predict').dataset.phase).toBe('revealed');
    expect(screen.getByTestId('lesson-predict-verdict').textContent).toContain('Right');
    expect(lessons.getState().progress?.predictions.ping).toEqual({ chosen: p.prediction.answer, right: true });
    // Each choice shows why it is right or wrong.
    expect(screen.getAllByTestId('lesson-choice').map((c) => c.textContent)).toEqual(p.prediction.choices.map((c, i) => `${i + 1}${c}${p.prediction.explain[i] ?? ''}`));
  });

  it('after the last step: practice questions with the score', async () => {
    const { app, lessons } = open(2);
    renderApp(<LessonPanel lessons={lessons} />, { store: app });
    await userEvent.click(screen.getByTestId('lesson-next'));
    expect(screen.getByTestId('lesson-questions')).toBeTruthy();
    const [fqdn] = screen.getAllByTestId('lesson-answer');
    await userEvent.type(fqdn, 'payment.production.svc.cluster.local{Enter}');
    expect(screen.getByTestId('lesson-score').textContent).toContain('Questions: 1 of 2 right');
  });
});

describe('submission file', () => {
  it('is the learner’s work as YAML, without DNS views or claimed results', () => {
    const text = submissionText({
      lesson: '10-network-policy',
      seed: 'ada',
      learner: 'Ada Lovelace',
      scenario: 'apiVersion: v1\nkind: Pod\n',
      traces: [{ from: 'a', to: 'b', proto: 'udp', port: 53, dns: { id: 1 } as never }],
      commands: [{ line: 'kubectl get netpol', status: 0, stdout: 'No resources found', place: 'host' }],
      answers: { fqdn: 'x.y.svc.cluster.local' },
    });
    expect(jsyaml.load(text)).toEqual({
      apiVersion: 'podpath.dev/v1alpha1',
      kind: 'Submission',
      lesson: '10-network-policy',
      seed: 'ada',
      learner: 'Ada Lovelace',
      scenario: 'apiVersion: v1\nkind: Pod\n',
      traces: [{ from: 'a', to: 'b', proto: 'udp', port: 53 }],
      commands: [{ line: 'kubectl get netpol', status: 0, place: 'host' }],
      answers: { fqdn: 'x.y.svc.cluster.local' },
    });
  });
});

describe('Trace panel during a prediction', () => {
  it('does not show the hops past the held one (nor the verdict) until the learner has answered', async () => {
    const { TracePanel } = await import('../panels/TracePanel');
    const { app, lessons } = open(1);
    renderApp(<TracePanel />, { store: app });
    expect(screen.getByTestId('trace-held')).toBeTruthy();
    act(() => {
      for (let i = 0; i < 60 && app.getState().playing; i++) app.getState().step(1);
    });
    act(() => lessons.getState().commitPrediction(0));
    expect(screen.queryByTestId('trace-held')).toBeNull();
  });
});
