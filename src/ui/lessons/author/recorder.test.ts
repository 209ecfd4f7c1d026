import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCluster } from '../../../engine/load';
import { trace } from '../../../engine/trace/tracer';
import { createAppStore } from '../../store';
import { createAuthorStore } from './authorStore';
import { startRecorder } from './recorder';
import { publishShellLine } from './shellFeed';

const demo = readFileSync(new URL('../../../scenarios/demo.yaml', import.meta.url), 'utf8');

function setup() {
  const app = createAppStore({ loadCluster: (f) => loadCluster(f), trace }, demo);
  const author = createAuthorStore(false);
  const stop = startRecorder(app, author);
  author.getState().start('Mine', app.getState().appliedText);
  return { app, author, stop };
}

describe('the recorder: what the author does next becomes the step reference solution', () => {
  it('records a trace run from the Trace panel as its request', () => {
    const { app, author } = setup();
    app.getState().setFrom('default/client');
    app.getState().setTo('node/worker-2');
    app.getState().runTrace();
    expect(author.getState().draft!.steps[0].solution.traces).toEqual([{ from: 'default/client', to: 'node/worker-2', proto: 'icmp' }]);
  });

  it('records terminal lines, with the line that enters the pod first; the trace the terminal showed is not a second action', () => {
    const { app, author } = setup();
    const t = trace(app.getState().cluster!, { from: 'default/client', to: 'node/worker-2', proto: 'icmp' });
    publishShellLine({ line: 'ping -c 1 192.168.1.12', status: 0, stdout: '', placesBefore: [{ kind: 'host' }, { kind: 'pod', namespace: 'default', name: 'client' }], traces: [t] });
    app.getState().showTrace(t);
    publishShellLine({ line: 'exit', status: 0, stdout: '', placesBefore: [{ kind: 'host' }, { kind: 'pod', namespace: 'default', name: 'client' }], traces: [] });
    const sol = author.getState().draft!.steps[0].solution;
    expect(sol.commands).toEqual(['kubectl exec -it client -- sh', 'ping -c 1 192.168.1.12', 'exit']);
    expect(sol.traces).toEqual([]);
  });

  it('does not record the re-trace an edit of the cluster makes', async () => {
    const { app, author } = setup();
    app.getState().setFrom('default/client');
    app.getState().setTo('node/worker-2');
    app.getState().runTrace();
    const c = app.getState().cluster!;
    app.getState().applyCommand('an edit', () => ({ ok: true, value: { ...c, now: c.now + 1 } }));
    await Promise.resolve();
    expect(app.getState().trace).not.toBeNull();
    expect(author.getState().draft!.steps[0].solution.traces).toHaveLength(1);
    app.getState().runTrace();
    expect(author.getState().draft!.steps[0].solution.traces).toHaveLength(2);
  });

  it('records nothing while recording is off, and into the step added last', () => {
    const { app, author } = setup();
    author.getState().setRecording(false);
    publishShellLine({ line: 'kubectl get pods', status: 0, stdout: '', placesBefore: [{ kind: 'host' }], traces: [] });
    expect(author.getState().draft!.steps[0].solution.commands).toEqual([]);
    author.getState().addStep(app.getState().appliedText);
    publishShellLine({ line: 'kubectl get svc', status: 0, stdout: '', placesBefore: [{ kind: 'host' }], traces: [] });
    expect(author.getState().draft!.steps.map((s) => s.solution.commands)).toEqual([[], ['kubectl get svc']]);
  });

  it('stops when asked', () => {
    const { author, stop } = setup();
    stop();
    publishShellLine({ line: 'kubectl get pods', status: 0, stdout: '', placesBefore: [{ kind: 'host' }], traces: [] });
    expect(author.getState().draft!.steps[0].solution.commands).toEqual([]);
  });
});
