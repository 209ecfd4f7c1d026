/**
 * A small typed decoder for the lesson format, in the scenario decoder's manner (scenario/schema.ts):
 * every field has a declared type, a value of the wrong type or a field the record does not have
 * is reported with its path, and every problem of a file is collected (not just the first). The
 * problems carry a SourceRef, so positionErrors (scenario/positions.ts) gives them file:line.
 * Wording follows the API server's field errors (k8s.io/apimachinery/pkg/util/validation/field
 * errors.go): `Required value`, `Unsupported value: "x": supported values: "a", "b"`,
 * `Invalid value: …`; unknown fields as strict decoding reports them (`unknown field "spec.x"`).
 */
import { fieldPath, type ObjectPlace, type Path, Problems } from '../scenario/problems';

export type Raw = unknown;

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'mapping' : typeof v);

export const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class Decoder {
  readonly problems = new Problems();
  constructor(readonly place: ObjectPlace) {}

  error(path: Path, message: string): void {
    this.problems.at(this.place, path, message);
  }

  get ok(): boolean {
    return this.problems.count === 0;
  }

  /** A mapping with only `fields` (and `required` among them present); undefined (reported) otherwise. */
  map(v: Raw, path: Path, fields: readonly string[], required: readonly string[] = []): Record<string, unknown> | undefined {
    if (!isMap(v)) {
      this.error(path, `must be a mapping (got ${typeName(v)})`);
      return undefined;
    }
    for (const k of Object.keys(v)) if (!fields.includes(k)) this.error([...path, k], `unknown field "${fieldPath([...path, k])}"`);
    for (const k of required) if (v[k] === undefined || v[k] === null) this.error([...path, k], 'Required value');
    return v;
  }

  str(v: Raw, path: Path, required = false): string | undefined {
    if (v === undefined || v === null) {
      if (required) this.error(path, 'Required value');
      return undefined;
    }
    // YAML reads `port: 80` and `name: 007` as numbers; a string field takes them as written.
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') {
      this.error(path, `must be a string (got ${typeName(v)})`);
      return undefined;
    }
    return v;
  }

  int(v: Raw, path: Path, required = false, min = -Infinity): number | undefined {
    if (v === undefined || v === null) {
      if (required) this.error(path, 'Required value');
      return undefined;
    }
    const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      this.error(path, `must be an integer (got ${typeName(v)}${typeof v === 'string' || typeof v === 'number' ? ` ${JSON.stringify(v)}` : ''})`);
      return undefined;
    }
    if (n < min) {
      this.error(path, `Invalid value: ${n}: must be greater than or equal to ${min}`);
      return undefined;
    }
    return n;
  }

  bool(v: Raw, path: Path): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    this.error(path, `must be a boolean (got ${typeName(v)})`);
    return undefined;
  }

  oneOf<T extends string>(v: Raw, path: Path, values: readonly T[], required = false): T | undefined {
    const s = this.str(v, path, required);
    if (s === undefined) return undefined;
    if (!(values as readonly string[]).includes(s)) {
      this.error(path, `Unsupported value: "${s}": supported values: ${values.map((x) => `"${x}"`).join(', ')}`);
      return undefined;
    }
    return s as T;
  }

  list(v: Raw, path: Path, required = false): unknown[] | undefined {
    if (v === undefined || v === null) {
      if (required) this.error(path, 'Required value');
      return undefined;
    }
    if (!Array.isArray(v)) {
      this.error(path, `must be a list (got ${typeName(v)})`);
      return undefined;
    }
    return v;
  }

  /** A list of strings; a single string is taken as a one-item list when `single` allows it. */
  strings(v: Raw, path: Path, single = false): string[] | undefined {
    if (single && (typeof v === 'string' || typeof v === 'number')) return [String(v)];
    const l = this.list(v, path);
    if (!l) return undefined;
    const out: string[] = [];
    l.forEach((x, i) => {
      const s = this.str(x, [...path, i], true);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  /** `map[string]string`: label sets. */
  labels(v: Raw, path: Path): Record<string, string> | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isMap(v)) {
      this.error(path, `must be a mapping of strings (got ${typeName(v)})`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      const s = this.str(x, [...path, k], true);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
}

/** Drop undefined fields (records decoded from optional fields stay minimal and serialize cleanly). */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
