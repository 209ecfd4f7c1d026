/**
 * Where an object or field came from, so errors can name file, line and column.
 *
 * The fast path parses YAML without positions (js-yaml); a `SourceRef` records only the
 * file, the document index and the JSON path, and `locate()` in scenario/ resolves it to a
 * line and column by re-parsing that one file with positions only when an error is shown.
 */
export interface SourceRef {
  file: string;
  /** 0-based index of the YAML document in the file. */
  doc: number;
  /** JSON path inside the document, e.g. ['spec', 'containers', 0, 'name']; for `kind: List` it starts with ['items', i]. */
  path: (string | number)[];
}

/** A user-facing error: kubectl/API-server wording, with position when known. */
export interface ScenarioError {
  file: string;
  line?: number;
  column?: number;
  /** `Kind/name` or `Kind/namespace/name` of the object, when the error belongs to one. */
  object?: string;
  /** Field path in kubectl notation, e.g. `spec.containers[0].name`. */
  field?: string;
  message: string;
  /** Where the object is, for errors found after parsing; `loadCluster` turns it into line and column. */
  source?: SourceRef;
}

/** Typed result for expected failures (bad input, exhausted ranges); exceptions are for bugs. */
export type Result<T, E = ScenarioError[]> = { ok: true; value: T } | { ok: false; errors: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(errors: E): Result<never, E> => ({ ok: false, errors });

/** Render an error the way the CLI and the YAML view show it: `file:line:col: Kind/name: field: message`. */
export function formatScenarioError(e: ScenarioError): string {
  const pos = e.line !== undefined ? `${e.file}:${e.line}:${e.column ?? 1}` : e.file;
  const obj = e.object ? ` ${e.object}:` : '';
  const field = e.field ? ` ${e.field}:` : '';
  return `${pos}:${obj}${field} ${e.message}`;
}
