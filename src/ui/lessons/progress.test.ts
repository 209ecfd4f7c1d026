import { describe, expect, it } from 'vitest';
import { emptyProgress, readActive, readLearner, readProgress, saveActive, saveLearner, saveProgress, seedOfName, PROGRESS_PREFIX, type KeyValue } from './progress';
import { isLessonHash, lessonHash, parseLessonHash } from './lessonLink';

function memory(): KeyValue & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

describe('lesson progress in storage', () => {
  it('round-trips a lesson’s progress, per lesson', () => {
    const s = memory();
    const p = { ...emptyProgress('ada'), step: 2, reached: 3, passed: ['look'], hints: { look: 1 }, predictions: { hop: { chosen: 1, right: false } }, answers: { mtu: { answer: '1', right: true } }, traces: [{ from: 'a', to: 'b', proto: 'tcp' as const, port: 80 }], commands: [{ line: 'kubectl get pods', status: 0 }] };
    expect(saveProgress(s, '04-vxlan', p)).toBe(true);
    expect(readProgress(s, '04-vxlan')).toEqual(p);
    expect(readProgress(s, '05-bgp')).toBeNull();
  });

  it('reads malformed progress as none, and drops malformed entries inside good progress', () => {
    const s = memory();
    s.setItem(PROGRESS_PREFIX + 'x', '{not json');
    expect(readProgress(s, 'x')).toBeNull();
    s.setItem(PROGRESS_PREFIX + 'x', JSON.stringify({ seed: 1, step: 0, reached: 0 }));
    expect(readProgress(s, 'x')).toBeNull();
    s.setItem(PROGRESS_PREFIX + 'x', JSON.stringify({ seed: 's', step: 1, reached: 0, passed: ['a', 3], predictions: { p: { chosen: -1, right: true }, q: { chosen: 0, right: true } }, traces: [{ from: 'a' }], commands: 'no' }));
    const p = readProgress(s, 'x')!;
    expect(p.reached).toBe(1);
    expect(p.passed).toEqual(['a']);
    expect(p.predictions).toEqual({ q: { chosen: 0, right: true } });
    expect(p.traces).toEqual([]);
    expect(p.commands).toEqual([]);
  });

  it('a refused write (full storage) says so instead of throwing', () => {
    const s = { ...memory(), setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(saveProgress(s, 'x', emptyProgress(''))).toBe(false);
  });

  it('keeps the open lesson and the learner', () => {
    const s = memory();
    saveActive(s, { id: 'mine', source: { kind: 'file', name: 'mine.yaml', text: 'kind: Lesson' } });
    expect(readActive(s)).toEqual({ id: 'mine', source: { kind: 'file', name: 'mine.yaml', text: 'kind: Lesson' } });
    saveActive(s, null);
    expect(readActive(s)).toBeNull();
    saveLearner(s, { name: 'Ada Lovelace', seed: seedOfName(' Ada  Lovelace ') });
    expect(readLearner(s)).toEqual({ name: 'Ada Lovelace', seed: 'ada-lovelace' });
  });
});

describe('lesson links', () => {
  it('carry the lesson, the step (1-based in the link), the seed and the cluster', () => {
    const hash = lessonHash({ lesson: '04-cross-node-vxlan', step: 2, seed: 'ada lovelace', share: 'share=1.abc-_x' });
    expect(hash).toBe('lesson=04-cross-node-vxlan&step=3&seed=ada+lovelace&share=1.abc-_x');
    expect(isLessonHash(`#${hash}`)).toBe(true);
    expect(parseLessonHash(`#${hash}`)).toEqual({ lesson: '04-cross-node-vxlan', step: 2, seed: 'ada lovelace', share: 'share=1.abc-_x' });
  });

  it('open a lesson by URL, and ignore a nonsense step', () => {
    const hash = lessonHash({ lesson: 'https://example.org/l/mine.yaml' });
    expect(parseLessonHash(hash)).toEqual({ lesson: 'https://example.org/l/mine.yaml' });
    expect(parseLessonHash('#lesson=x&step=0')).toEqual({ lesson: 'x' });
    expect(parseLessonHash('#lesson=&step=2')).toBeNull();
    expect(parseLessonHash('#share=1.abc')).toBeNull();
  });
});
