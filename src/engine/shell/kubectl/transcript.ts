/**
 * Test support for the kubectl golden tests: load one of src/scenarios, run shell lines on it and
 * print them as a `$ line` transcript with their output (and the exit status when not 0).
 */
import { readFileSync } from 'node:fs';
import { engineShell } from '../../engineShell';
import { loadCluster } from '../../load';

export function scenarioTranscript(file: string, lines: string[]): string {
  const text = readFileSync(new URL(`../../../scenarios/${file}`, import.meta.url), 'utf8');
  const loaded = loadCluster([{ name: file, text }]);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const sh = engineShell(loaded.value);
  let t = '';
  for (const line of lines) {
    const r = sh.run(line);
    t += `$ ${line}\n${r.stdout}${r.stderr}`;
    if (r.status !== 0) t += `[exit ${r.status}]\n`;
  }
  return t;
}
