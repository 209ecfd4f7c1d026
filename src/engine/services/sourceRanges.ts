/**
 * A LoadBalancer Service's allowed client ranges: `spec.loadBalancerSourceRanges`, or the older
 * annotation `service.beta.kubernetes.io/load-balancer-source-ranges` (pkg/api/service/annotations.go).
 *
 * - The API server validates both (pkg/apis/core/validation ValidateService, via
 *   pkg/api/service/util.go GetLoadBalancerSourceRanges): values are whitespace-trimmed and
 *   parsed with utilnet.ParseIPNets (IPv4 or IPv6 CIDRs, host bits allowed).
 * - kube-proxy reads only the spec field (pkg/proxy/serviceport.go), keeping the ranges of its
 *   own IP family: this IPv4 cluster keeps the IPv4 ones.
 * - Cloud providers (the AWS one here) read the field, else the annotation, and default to
 *   0.0.0.0/0 when neither is set.
 */
import { Cidr } from '../addressing/ipv4';
import { isIpv6Cidr } from '../addressing/ipv6';
import { isPlainObject } from '../scenario/parseFiles';
import { invalid } from '../scenario/messages';
import type { Path } from '../scenario/problems';

export const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** field.Invalid's detail, trailing space included (it is in the Go source). */
export const SOURCE_RANGES_INVALID = 'must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 ';


/** utilnet.ParseIPNets of the trimmed values: the IPv4 blocks, or null when a value is not a CIDR. */
export function parseSourceRanges(values: readonly string[]): Cidr[] | null {
  const out: Cidr[] = [];
  for (const raw of values) {
    const v = raw.trim();
    const c = Cidr.parse(v);
    if (c) out.push(c);
    else if (!isIpv6Cidr(v)) return null;
  }
  return out;
}

/** The spec field's values as strings (empty when unset). */
export function specSourceRanges(spec: Record<string, unknown>): string[] {
  const v = spec.loadBalancerSourceRanges;
  return Array.isArray(v) ? v.map((x) => String(x)) : [];
}

function annotationOf(manifest: Record<string, unknown>): string | undefined {
  const meta = isPlainObject(manifest.metadata) ? manifest.metadata : {};
  const ann = isPlainObject(meta.annotations) ? meta.annotations : {};
  const v = ann[SOURCE_RANGES_ANNOTATION];
  return typeof v === 'string' ? v : undefined;
}

/** What kube-proxy enforces: the spec field only, IPv4 ranges, trimmed and parsed (empty when unset or invalid). */
export function proxySourceRanges(spec: Record<string, unknown>): Cidr[] {
  return parseSourceRanges(specSourceRanges(spec)) ?? [];
}

/**
 * What the cloud provider enforces (GetLoadBalancerSourceRanges): the field, else the
 * annotation split on commas; undefined means "not restricted" (0.0.0.0/0).
 */
export function cloudSourceRanges(manifest: Record<string, unknown>): { ranges: Cidr[]; from: 'spec' | 'annotation' } | undefined {
  const spec = isPlainObject(manifest.spec) ? manifest.spec : {};
  const field = specSourceRanges(spec);
  if (field.length) {
    const r = parseSourceRanges(field);
    return r && r.length ? { ranges: r, from: 'spec' } : undefined;
  }
  const ann = annotationOf(manifest)?.trim();
  if (!ann) return undefined;
  const r = parseSourceRanges(ann.split(','));
  return r && r.length ? { ranges: r, from: 'annotation' } : undefined;
}

export interface SourceRangeProblem {
  path: Path;
  /** The field as the API server names it. */
  field: string;
  message: string;
}

/**
 * ValidateService's check of the field (or, when the field is empty, the annotation):
 * Forbidden unless `type` is LoadBalancer; Invalid when a value is not a CIDR. The field path
 * really is `spec.LoadBalancerSourceRanges` (specPath.Child("LoadBalancerSourceRanges")) and the
 * value `fmt.Sprintf("%v", ranges)`, a Go []string printed as `[a b]`.
 */
export function validateSourceRanges(manifest: Record<string, unknown>, type: string): SourceRangeProblem[] {
  const spec = isPlainObject(manifest.spec) ? manifest.spec : {};
  const field = specSourceRanges(spec);
  const ann = annotationOf(manifest);
  if (!field.length && ann === undefined) return [];
  const fromSpec = field.length > 0;
  const path: Path = fromSpec ? ['spec', 'loadBalancerSourceRanges'] : ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION];
  const name = fromSpec ? 'spec.LoadBalancerSourceRanges' : `metadata.annotations[${SOURCE_RANGES_ANNOTATION}]`;
  const out: SourceRangeProblem[] = [];
  if (type !== 'LoadBalancer') out.push({ path, field: name, message: "Forbidden: may only be used when `type` is 'LoadBalancer'" });
  // The annotation: trimmed, empty means "no restriction", else comma-separated CIDRs.
  const annText = (ann ?? '').trim();
  const parsed = fromSpec ? parseSourceRanges(field) : annText === '' ? [] : parseSourceRanges(annText.split(','));
  if (parsed === null) {
    const value = fromSpec ? `[${field.join(' ')}]` : (ann ?? '');
    out.push({ path, field: name, message: invalid(value, SOURCE_RANGES_INVALID) });
  }
  return out;
}
