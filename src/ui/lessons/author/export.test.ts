/**
 * What the author exports is a lesson the engine reads: it parses (parseLesson), its start is the
 * cluster the author started from, and each step's recorded solution replays (solveStep) to the
 * state the author saw when picking the check.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkpoint, instantiate, parseLesson, solvedContext, validateLesson } from '../../../engine/lessons/index';
import { loadCluster } from '../../../engine/load';
import { trace } from '../../../engine/trace/tracer';
import { engineShell } from '../../../engine/engineShell';
import { scenarioYaml } from '../../../engine/scenario/serialize';
import { ok } from '../../../engine/model/source';
import { createAppStore } from '../../store';
import { createAuthorStore } from './authorStore';
import { lessonFileText } from './draft';
import { startRecorder } from './recorder';
import { selectionChoices, traceChoices } from './suggest';

const demo = readFileSync(new URL('../../../scenarios/demo.yaml', import.meta.url), 'utf8');

describe('an authored lesson, exported', () => {
  it('parses, starts from the author\'s cluster, and replays each recorded solution', () => {
    const app = createAppStore({ loadCluster: (f) => loadCluster(f), trace, serialize: scenarioYaml }, demo);
    const author = createAuthorStore(false);
    startRecorder(app, author);
    author.getState().start('Across nodes', app.getState().appliedText);
    // Step 1: a trace from the Trace panel; the check from it.
    const remote = [...app.getState().cluster!.pods.values()].find((p) => p.meta.name.startsWith('web-') && p.nodeName === 'worker-2')!;
    app.getState().setFrom('default/client');
    app.getState().setTo(`default/${remote.meta.name}`);
    app.getState().runTrace();
    const encap = traceChoices(app.getState().trace!).find((c) => c.id === 'encap')!;
    author.getState().setCheck(0, encap.check, encap.label);
    author.getState().update(0, { task: 'Trace client → the web pod on worker-2.' });
    // Step 2: a terminal line (as the terminal runs it), the check from the selected Service.
    author.getState().addStep(app.getState().appliedText);
    const shell = engineShell(app.getState().cluster!);
    const r = shell.run('kubectl scale deployment web --replicas=4');
    expect(r.status).toBe(0);
    app.getState().applyCommand('kubectl scale', () => ok(shell.cluster));
    app.getState().logShell(shell.commands[shell.commands.length - 1], []);
    const svc = selectionChoices(app.getState().cluster!, 'svc/default/web')[0];
    expect(svc.label).toBe('Service web has 4 endpoints');
    author.getState().setCheck(1, svc.check, svc.label);
    author.getState().update(1, { task: 'Scale web to 4.' });

    const text = lessonFileText(author.getState().draft!);
    const parsed = parseLesson(text, 'across-nodes.yaml');
    if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}: ${e.field ?? ""} ${e.message}`).join('\n'));
    const inst = instantiate(parsed.value);
    const start = checkpoint(inst, 0);
    const demoCluster = loadCluster([{ name: 'demo.yaml', text: demo }]);
    expect(start.ok && [...start.value.cluster.pods.keys()]).toEqual(demoCluster.ok && [...demoCluster.value.pods.keys()]);
    const step2 = checkpoint(inst, 1);
    expect(step2.ok && step2.value.traces).toEqual([{ from: 'default/client', to: `default/${remote.meta.name}`, proto: 'icmp' }]);
    const end = solvedContext(inst);
    expect(end.ok && [...end.value.cluster.pods.values()].filter((p) => p.meta.name.startsWith('web-')).length).toBe(4);
    expect(end.ok && end.value.commands.map((c) => c.line)).toEqual(['kubectl scale deployment web --replicas=4']);
    // The lesson's own test (what `podpath lesson validate` runs): each check fails at its step's start, passes after.
    const report = validateLesson(parsed.value);
    expect(report.steps.map((s) => [s.step, s.before.pass, s.after.pass, s.error])).toEqual([
      ['step-1', false, true, undefined],
      ['step-2', false, true, undefined],
    ]);
    expect(report.ok).toBe(true);
  });
});
