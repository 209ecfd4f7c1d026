/**
 * Test support: the fixture lessons (fixtures/*.yaml) and the built-in scenarios registered from
 * src/scenarios, read from disk (tests only; the engine itself reads no files).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerBuiltinScenarios } from './context';
import { parseLesson } from './parse';
import type { Lesson } from './types';

export const FIXTURES = join(__dirname, 'fixtures');
export const BUILTIN_LESSONS = join(__dirname, '../../lessons');
const SCENARIOS = join(__dirname, '../../scenarios');

export function registerTestScenarios(): void {
  registerBuiltinScenarios(Object.fromEntries(readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')).map((f) => [f.replace(/\.yaml$/, ''), readFileSync(join(SCENARIOS, f), 'utf8')])));
}

export function fixture(id: string): Lesson {
  const file = join(FIXTURES, `${id}.yaml`);
  const r = parseLesson(readFileSync(file, 'utf8'), `fixtures/${id}.yaml`);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.file}:${e.line}: ${e.field ?? ''}: ${e.message}`).join('\n'));
  return r.value;
}
