/**
 * Labels and annotations validated as the API server does (apimachinery
 * pkg/apis/meta/v1/validation ValidateLabels, pkg/api/validation ValidateAnnotations): every
 * label key a qualified name, every value a label value; annotation keys qualified names
 * (lower-cased first), keys and values together at most 256 KiB. Errors name the map
 * (`metadata.labels`) as the API server does and point at the offending key's line.
 */
import { invalid, labelValue, qualifiedName, tooLong, TOTAL_ANNOTATION_SIZE_LIMIT, utf8Length } from './messages';
import { fieldPath, type ObjectPlace, type Path, type Problems } from './problems';

/** ValidateLabels' errors, each with the key it is about (keys, then values, in map order). */
export function labelErrors(labels: Record<string, unknown>): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  for (const k in labels) {
    for (const msg of qualifiedName(k)) out.push({ key: k, message: invalid(k, msg) });
    const v = labels[k];
    if (typeof v === 'string') for (const msg of labelValue(v)) out.push({ key: k, message: invalid(v, msg) });
  }
  return out;
}

/** ValidateLabels: `path` is where the map sits in the object (metadata.labels, spec.selector, ...). */
export function validateLabels(labels: Record<string, unknown>, place: ObjectPlace, path: Path, problems: Problems): void {
  const field = fieldPath(path);
  for (const e of labelErrors(labels)) problems.at(place, [...path, e.key], e.message, field);
}

/** ValidateAnnotations. */
export function validateAnnotations(annotations: Record<string, unknown>, place: ObjectPlace, path: Path, problems: Problems): void {
  const field = fieldPath(path);
  let size = 0;
  for (const k in annotations) {
    for (const msg of qualifiedName(k.toLowerCase())) problems.at(place, [...path, k], invalid(k, msg), field);
    const v = annotations[k];
    size += utf8Length(k) + (typeof v === 'string' ? utf8Length(v) : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) problems.at(place, path, tooLong(TOTAL_ANNOTATION_SIZE_LIMIT), field);
}
