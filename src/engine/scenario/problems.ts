/**
 * Collects every problem of a load (a load reports all errors, never just the first) and turns
 * them into ScenarioErrors. Positions are not resolved here (that needs js-yaml, see
 * positions.ts): an error about a field keeps its `source`, and the caller resolves it, only
 * when there are errors — the fast path never parses YAML with positions.
 */
import type { ScenarioError, SourceRef } from '../model/source';

export type Path = (string | number)[];

/** Where an object sits: its file, document and (inside a `kind: List`) item path. */
export interface ObjectPlace {
  file: string;
  doc: number;
  base: Path;
  /** `Kind/name` or `Kind/namespace/name`; empty while the object is not yet named. */
  object: string;
}

interface Pending {
  ref?: SourceRef;
  error: ScenarioError;
}

/** The place of a decl that carries a SourceRef (for checks made after reading). */
export function placeOf(source: SourceRef | undefined, object: string): ObjectPlace | undefined {
  return source ? { file: source.file, doc: source.doc, base: source.path, object } : undefined;
}

/** `spec.containers[0].name` from ['spec', 'containers', 0, 'name']. */
export function fieldPath(path: Path): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s ? `.${p}` : p;
  }
  return s;
}

export class Problems {
  private readonly pending: Pending[] = [];

  get count(): number {
    return this.pending.length;
  }

  /** A problem with a field of an object (path relative to the object). */
  at(place: ObjectPlace, path: Path, message: string, field: string = fieldPath(path)): void {
    const ref: SourceRef = { file: place.file, doc: place.doc, path: [...place.base, ...path] };
    this.pending.push({
      ref,
      error: { file: place.file, ...(place.object ? { object: place.object } : {}), ...(field ? { field } : {}), message },
    });
  }

  /** A problem with a known line and column (malformed YAML). */
  atPosition(file: string, line: number, column: number, message: string): void {
    this.pending.push({ error: { file, line, column, message } });
  }

  /** The errors in input order; those without a position carry their `source` for positionErrors (positions.ts). */
  errors(): ScenarioError[] {
    return this.pending.map(({ ref, error }) => (!ref || error.line !== undefined ? error : { ...error, source: ref }));
  }
}
