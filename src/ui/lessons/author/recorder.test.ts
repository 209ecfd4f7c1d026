import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCluster } from '../../../engine/load';
import { trace } from '../../../engine/trace/tracer';
import { createAppStore } from '../../store';
import { createAuthorStore } from './authorStore';
import { startRecorder } from './recorder';

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
    const req = { from: 'default/client', to: '192.168.1.12', proto: 'icmp' as const };
    app.getState().logShell({ line: 'ping -c 1 192.168.1.12', status: 0, place: 'pod default/client' }, [req]);
    app.getState().showTrace(trace(app.getState().cluster!, req));
    app.getState().logShell({ line: 'exit', status: 0, place: 'pod default/client' }, []);
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
    app.getState().logShell({ line: 'kubectl get pods', status: 0, place: 'host' }, []);
    expect(author.getState().draft!.steps[0].solution.commands).toEqual([]);
    author.getState().addStep(app.getState().appliedText);
    app.getState().logShell({ line: 'kubectl get svc', status: 0, place: 'host' }, []);
    expect(author.getState().draft!.steps.map((s) => s.solution.commands)).toEqual([[], ['kubectl get svc']]);
  });

  it('a lesson replacing the logs wholesale is not the author\'s action; a line run on a node enters it first', () => {
    const { app, author } = setup();
    app.setState({ commandLog: [{ line: 'kubectl get pods', status: 0 }, { line: 'kubectl get svc', status: 0 }], traceLog: [{ from: 'a', to: 'b', proto: 'icmp' }, { from: 'b', to: 'a', proto: 'icmp' }] });
    expect(author.getState().draft!.steps[0].solution).toEqual({ commands: [], traces: [] });
    app.getState().logShell({ line: 'ip route', status: 0, place: 'node worker-1' }, []);
    expect(author.getState().draft!.steps[0].solution.commands).toEqual(['ssh worker-1', 'ip route']);
  });

  it('stops when asked', () => {
    const { app, author, stop } = setup();
    stop();
    app.getState().logShell({ line: 'kubectl get pods', status: 0, place: 'host' }, []);
    expect(author.getState().draft!.steps[0].solution.commands).toEqual([]);
  });
});
