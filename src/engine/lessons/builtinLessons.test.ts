/**
 * The issue's Done-when: every lesson in src/lessons/ (and the engine's fixture lessons) passes
 * its own test — each step's check fails at the step's start and passes after its reference
 * solution, every prediction can be built, every question accepts its own answer — for two
 * learners' seeds, so a param value that breaks a step is caught too.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatScenarioError } from '../model/source';
import { parseLesson } from './parse';
import { BUILTIN_LESSONS, FIXTURES, registerTestScenarios } from './testLessons';
import { formatValidation, validateLesson } from './validate';

registerTestScenarios();

const files = [BUILTIN_LESSONS, FIXTURES].flatMap((dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f)) : []));

describe('every lesson validates', () => {
  it('finds the lessons', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });
  for (const file of files) {
    it(file.slice(file.indexOf('src/')), () => {
      const parsed = parseLesson(readFileSync(file, 'utf8'), file);
      if (!parsed.ok) throw new Error(parsed.errors.map(formatScenarioError).join('\n'));
      expect(parsed.value.meta.id).toBe(file.replace(/^.*\//, '').replace(/\.yaml$/, ''));
      for (const seed of ['', 'learner-2']) {
        const report = validateLesson(parsed.value, seed);
        if (!report.ok) throw new Error(formatValidation(report, file));
        // Each step's check was seen failing before its task and passing after.
        expect(report.steps.map((s) => [s.before.pass, s.after.pass])).toEqual(report.steps.map(() => [false, true]));
      }
    });
  }
});
