import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAnswer } from './answers';
import { startContext } from './context';
import { instantiate, parseLesson } from './parse';
import { predictionFor } from './prediction';
import type { PredictAsk } from './types';
import { registerTestScenarios } from './testLessons';

registerTestScenarios();
const demo = readFileSync(join(__dirname, '../../scenarios/demo.yaml'), 'utf8');

/** A one-step lesson on the demo (or `cni`) whose step predicts `ask` for `trace`. */
function lessonWith(ask: PredictAsk, traceYaml: string, cni = 'flannel', at = '') {
  const scenario = demo.replace('cni: flannel', `cni: ${cni}`).split('\n').map((l) => `      ${l}`).join('\n');
  const text = `apiVersion: podpath.dev/v1alpha1
kind: Lesson
metadata: {id: p, title: P}
spec:
  scenario:
    yaml: |
${scenario}
  steps:
  - id: s
    title: S
    task: T
    predict: {trace: ${traceYaml}, ask: ${ask}${at ? `, at: ${at}` : ''}}
    check: {pod: {name: nope}}
    solution: {}
`;
  const r = parseLesson(text, 'p.yaml');
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

function predict(ask: PredictAsk, traceYaml: string, seed = 'ada', cni = 'flannel', at = '') {
  const inst = instantiate(lessonWith(ask, traceYaml, cni, at), seed);
  const ctx = startContext(inst);
  if (!ctx.ok) throw new Error('start');
  const p = predictionFor(inst, 0, ctx.value);
  if (!p) throw new Error('no prediction');
  return { p, cluster: ctx.value.cluster };
}

function wellFormed(p: NonNullable<ReturnType<typeof predictionFor>>) {
  expect(p.choices.length).toBeGreaterThanOrEqual(2);
  expect(p.choices.length).toBeLessThanOrEqual(4);
  expect(new Set(p.choices).size).toBe(p.choices.length);
  expect(p.explain).toHaveLength(p.choices.length);
  expect(p.explain[p.answer]).toMatch(/^Right/);
  p.explain.forEach((e, i) => i !== p.answer && expect(e).toMatch(/^Not /));
}

describe('predictionFor', () => {
  it('node: the node where the packet arrives, wrong ones the other nodes', () => {
    const { p, cluster } = predict('node', '{from: client, to: node/worker-2}', 'ada', 'flannel', '{action: deliver}');
    wellFormed(p);
    expect(p.choices[p.answer]).toBe('worker-2');
    expect(p.choices.every((c) => cluster.nodes.some((n) => n.meta.name === c))).toBe(true);
  });

  it('verdict: stops before the verdict; the reveal names the policy that dropped it', () => {
    const text = `{from: client, to: ${'web'}, proto: tcp, port: 80}`;
    const { p } = predict('verdict', text.replace('web', 'node/worker-2'));
    wellFormed(p);
    expect(p.stopBeforeHop).toBe(-1);
    expect(p.choices[p.answer]).toBe('delivered');
  });

  it('dnat-endpoint: the endpoint kube-proxy picked; the other endpoints and the ClusterIP as wrong ones', () => {
    const inst0 = instantiate(lessonWith('verdict', '{from: client, to: node/worker-1}'));
    const ctx = startContext(inst0);
    if (!ctx.ok) throw new Error('start');
    const ip = (ctx.value.cluster.objects.get('Service/default/web')!.manifest.spec as { clusterIP: string }).clusterIP;
    const { p } = predict('dnat-endpoint', `{from: client, to: "${ip}", proto: tcp, port: 80}`);
    wellFormed(p);
    expect(p.choices[p.answer]).toMatch(/^10\.244\.\d+\.\d+:80$/);
    expect(p.choices).toContain(`${ip}:80`);
    expect(p.question).toContain('Service default/web');
  });

  /** The web pod on worker-2 (its name has the Deployment's generated suffix). */
  const remoteWeb = () => {
    const { cluster } = predict('verdict', '{from: client, to: node/worker-1}');
    return [...cluster.pods.values()].find((p) => p.meta.labels.app === 'web' && p.nodeName === 'worker-2')!.meta.name;
  };

  it('wire-bytes and encap on flannel VXLAN: 50 bytes of tunnel, VNI 1', () => {
    const web = remoteWeb();
    const { p } = predict('wire-bytes', `{from: client, to: ${web}, size: 56}`, 'ada', 'flannel', '{action: wire}');
    wellFormed(p);
    expect(p.choices[p.answer]).toBe('148');
    expect(p.choices).toContain('98');
    expect(p.explain[p.choices.indexOf('98')]).toMatch(/vxlan adds 50 bytes/);
    const e = predict('encap', `{from: client, to: ${web}}`).p;
    wellFormed(e);
    expect(e.choices[e.answer]).toBe('vxlan VNI 1');
    const plain = predict('encap', `{from: client, to: ${web}}`, 'ada', 'flannel-host-gw').p;
    expect(plain.choices[plain.answer]).toBe('none (plain routing)');
  });

  it('next-device: the device of the stop hop, wrong ones from the same namespace', () => {
    const { p } = predict('next-device', `{from: client, to: ${remoteWeb()}}`, 'ada', 'flannel', '{action: encap}');
    wellFormed(p);
    expect(p.choices[p.answer]).toBe('flannel.1');
  });

  it('the order of the choices follows the seed, the content does not', () => {
    const orders = new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((s) => predict('node', '{from: client, to: node/worker-2}', s, 'flannel', '{action: deliver}').p.choices.join(',')));
    expect(orders.size).toBeGreaterThan(1);
    const again = predict('node', '{from: client, to: node/worker-2}', 'a', 'flannel', '{action: deliver}').p;
    expect(again).toEqual(predict('node', '{from: client, to: node/worker-2}', 'a', 'flannel', '{action: deliver}').p);
  });
});

describe('checkAnswer', () => {
  it('compares text tolerantly and choices by index or text', () => {
    const q = { id: 'q', type: 'text' as const, prompt: '', accept: ['payment.production.svc.cluster.local'] };
    for (const a of ['payment.production.svc.cluster.local', ' Payment.Production.svc.cluster.local. ', '`payment.production.svc.cluster.local`']) expect(checkAnswer(q, a)).toBe(true);
    expect(checkAnswer(q, 'payment.production')).toBe(false);
    expect(checkAnswer(q, '')).toBe(false);
    const c = { id: 'c', type: 'choice' as const, prompt: '', choices: ['1500', '1450'], answer: 1 };
    expect(checkAnswer(c, '1')).toBe(true);
    expect(checkAnswer(c, '1450')).toBe(true);
    expect(checkAnswer(c, '0')).toBe(false);
  });
});
