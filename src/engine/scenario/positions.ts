/**
 * Errors' source references → line and column, re-parsing a file with positions (locate.ts,
 * js-yaml) only now that there are errors to show. Apart from loading so that a load from
 * cached documents (loadParsedCluster) imports no YAML parser.
 */
import type { ScenarioError } from '../model/source';
import { locate } from './locate';
import type { ScenarioFile } from './types';

/** Every error with its `source` resolved to a line and column where it can be, and dropped. */
export function positionErrors(files: ScenarioFile[], errors: ScenarioError[]): ScenarioError[] {
  return errors.map((e) => {
    const { source, ...rest } = e;
    if (!source || rest.line !== undefined) return rest;
    const at = locate(files, source);
    return at ? { ...rest, line: at.line, column: at.column } : rest;
  });
}
