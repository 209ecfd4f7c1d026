/**
 * Error texts as the API server and kubectl print them, so a scenario error reads like the
 * `kubectl apply` error it stands for.
 *
 * Sources: k8s.io/apimachinery/pkg/util/validation/validation.go (RegexError, MaxLenError,
 * IsDNS1123Label/Subdomain, IsDNS1035Label), .../validation/field/errors.go (ErrorType strings:
 * "Required value", "Invalid value", "Unsupported value", "Duplicate value", "Not found"),
 * apimachinery/pkg/api/errors (NewAlreadyExists/NewNotFound: `pods "x" already exists`),
 * kubectl's resource mapper (`no matches for kind "Foo" in version "v1"`) and the API server's
 * strict field validation (`strict decoding error: unknown field "spec.foo"`).
 */

/** validation.RegexError: note the double space before "or", as Go's loop prints it. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  let s = msg + ' (e.g. ';
  examples.forEach((e, i) => {
    if (i > 0) s += ' or ';
    s += `'${e}', `;
  });
  return s + `regex used for validation is '${fmt}')`;
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';

const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`);

export const DNS1123_LABEL_MSG = regexError(
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  DNS1123_LABEL_FMT,
  'my-name',
  '123-abc',
);
export const DNS1123_SUBDOMAIN_MSG = regexError(
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  DNS1123_SUBDOMAIN_FMT,
  'example.com',
);
export const DNS1035_LABEL_MSG = regexError(
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  DNS1035_LABEL_FMT,
  'my-name',
  'abc-123',
);

const maxLen = (n: number) => `must be no more than ${n} characters`;

/** IsDNS1123Label: problems, empty when valid. */
export function dns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLen(63));
  if (!DNS1123_LABEL_RE.test(value)) {
    // A valid subdomain that is not a valid label can only have dots (the length was checked).
    errs.push(DNS1123_SUBDOMAIN_RE.test(value) ? 'must not contain dots' : DNS1123_LABEL_MSG);
  }
  return errs;
}

/** IsDNS1123Subdomain. */
export function dns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLen(253));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(DNS1123_SUBDOMAIN_MSG);
  return errs;
}

/** IsDNS1035Label (Service names). */
export function dns1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLen(63));
  if (!DNS1035_LABEL_RE.test(value)) errs.push(DNS1035_LABEL_MSG);
  return errs;
}

/** Go's %q of a string (enough for the ASCII values manifests hold). */
export function quote(value: unknown): string {
  return JSON.stringify(typeof value === 'string' ? value : String(value));
}

/** field.Invalid(...).ErrorBody(): strings quoted, numbers and booleans bare. */
export function invalid(value: unknown, detail: string): string {
  const v = typeof value === 'string' ? quote(value) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return `Invalid value: ${v}: ${detail}`;
}

export const required = (detail?: string) => (detail ? `Required value: ${detail}` : 'Required value');

export function unsupported(value: unknown, supported: readonly string[]): string {
  return `Unsupported value: ${quote(value)}: supported values: ${supported.map((s) => quote(s)).join(', ')}`;
}

export const duplicate = (value: unknown) => `Duplicate value: ${quote(value)}`;

/** The plural (and group) the API server names a resource by in AlreadyExists / NotFound. */
export const RESOURCE: Record<string, string> = {
  Namespace: 'namespaces',
  Node: 'nodes',
  Pod: 'pods',
  Service: 'services',
  Endpoints: 'endpoints',
  ConfigMap: 'configmaps',
  EndpointSlice: 'endpointslices.discovery.k8s.io',
  NetworkPolicy: 'networkpolicies.networking.k8s.io',
  Ingress: 'ingresses.networking.k8s.io',
  IngressClass: 'ingressclasses.networking.k8s.io',
  Deployment: 'deployments.apps',
  ReplicaSet: 'replicasets.apps',
  DaemonSet: 'daemonsets.apps',
  Cluster: 'clusters.podpath',
};

export const alreadyExists = (kind: string, name: string) => `${RESOURCE[kind] ?? kind.toLowerCase() + 's'} ${quote(name)} already exists`;
export const notFound = (kind: string, name: string) => `${RESOURCE[kind] ?? kind.toLowerCase() + 's'} ${quote(name)} not found`;

export const noMatchForKind = (kind: string, apiVersion: string) => `no matches for kind ${quote(kind)} in version ${quote(apiVersion)}`;
export const unknownField = (path: string) => `strict decoding error: unknown field ${quote(path)}`;

/** Type mismatch as encoding/json reports it through the API server's decoder. */
export function cannotUnmarshal(value: unknown, goField: string, goType: string): string {
  return `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${goField} of type ${goType}`;
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/** kubernetes/pkg/scheduler/framework FitError: `0/3 nodes are available: <sorted reasons>. preemption: ...`. */
export function failedScheduling(nodeCount: number, reasons: Map<string, number>, preemption: Map<string, number>): string {
  const hist = (m: Map<string, number>) => [...m].map(([reason, n]) => `${n} ${reason}`).sort();
  let s = `0/${nodeCount} nodes are available:`;
  if (reasons.size) s += ` ${hist(reasons).join(', ')}.`;
  s += ` preemption: 0/${nodeCount} nodes are available:`;
  if (preemption.size) s += ` ${hist(preemption).join(', ')}.`;
  return s;
}
