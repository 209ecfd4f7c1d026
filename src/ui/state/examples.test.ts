import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatScenarioError, loadCluster } from '../../engine';
import { scenarioYaml } from '../../engine/scenario/serialize';

const dir = new URL('../../../public/examples/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')) as { file: string; title: string }[];

describe('built-in examples', () => {
  it('lists every example file', () => {
    expect(index.map((e) => e.file).sort()).toEqual(readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort());
  });

  it.each(index.map((e) => e.file))('%s loads without errors and survives a save', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const r = loadCluster([{ name: file, text }]);
    if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
    const again = loadCluster([{ name: file, text: scenarioYaml(r.value) }]);
    if (!again.ok) throw new Error(again.errors.map(formatScenarioError).join('\n'));
    expect(again.value.pods.size).toBe(r.value.pods.size);
  });

  it('the two-node Flannel example has the seeds addresses', () => {
    const r = loadCluster([{ name: 'f', text: readFileSync(new URL('flannel-two-nodes.yaml', dir), 'utf8') }]);
    if (!r.ok) throw new Error('did not load');
    const ip = (name: string) => r.value.pods.get(`default/${name}`)?.attachment?.ip;
    expect([ip('pod-a'), ip('pod-b'), ip('pod-c'), ip('pod-d')].map((n) => n !== undefined && [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'))).toEqual(['10.244.1.2', '10.244.1.3', '10.244.2.2', '10.244.2.3']);
  });
});
