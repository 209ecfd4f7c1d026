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

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const QUALIFIED_NAME_ERR = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const EMPTY = 'must be non-empty';

/**
 * IsQualifiedName (apimachinery/pkg/util/validation, v1.31): label keys, annotation keys
 * (lower-cased first): an optional DNS-1123 subdomain prefix and '/', then a name of at most
 * 63 characters.
 */
export function qualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY}`);
    else for (const m of dns1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [`a qualified name ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push(`name part ${EMPTY}`);
  else if (utf8Length(name) > 63) errs.push(`name part ${maxLen(63)}`);
  if (!QUALIFIED_NAME_RE.test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** IsValidLabelValue: at most 63 characters, empty or a qualified name's charset. */
export function labelValue(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > 63) errs.push(maxLen(63));
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** IsValidPortName (IANA_SVC_NAME, RFC 6335): container port names, named targetPorts. */
export function portName(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > 15) errs.push(maxLen(15));
  if (!/^[-a-z0-9]+$/.test(value)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(value)) errs.push('must contain at least one letter (a-z)');
  if (value.includes('--')) errs.push('must not contain consecutive hyphens');
  if (value.startsWith('-') || value.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** IsValidPortNum. */
export const portNumber = (n: number): string[] => (n >= 1 && n <= 65535 ? [] : ['must be between 1 and 65535, inclusive']);

/** apimachinery ValidateAnnotations: TotalAnnotationSizeLimitB, the keys' and values' bytes together. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** field.TooLong's body (v1.31). */
export const tooLong = (max: number) => `Too long: must have at most ${max} bytes`;

/** UTF-8 length of a string (Go's len). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Go's %q (strconv.Quote): printable characters as they are; \a \b \f \n \r \t \v, \\ and \"
 * escaped; other control characters as \xhh; other non-printable runes (format characters,
 * separators other than ASCII space, unassigned or private-use code points) as \uhhhh or
 * \Uhhhhhhhh — so a value holding ESC, NUL or a bidi override never reaches a terminal raw.
 */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  let out = '"';
  let plain = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) continue;
    if (c >= 0xa0 && !NOT_PRINTABLE.test(text[i]) && !(c >= 0xd800 && c <= 0xdfff)) continue;
    out += text.slice(plain, i);
    const cp = text.codePointAt(i)!;
    const wide = cp > 0xffff;
    out += escapeRune(cp, wide ? text.slice(i, i + 2) : text[i]);
    if (wide) i++;
    plain = i + 1;
  }
  return out + text.slice(plain) + '"';
}

const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;
const SHORT_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x22: '\\"', 0x5c: '\\\\' };
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function escapeRune(cp: number, text: string): string {
  if (SHORT_ESCAPES[cp]) return SHORT_ESCAPES[cp];
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  // A lone surrogate is not valid UTF-8: Go's decoder would have turned it into U+FFFD.
  if (cp >= 0xd800 && cp <= 0xdfff) return '\ufffd';
  if (cp > 0xffff) return NOT_PRINTABLE.test(text) ? `\\U${hex(cp, 8)}` : text;
  return `\\u${hex(cp, 4)}`;
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

/** kubernetes/pkg/scheduler/framework FitError: `0/3 nodes are available: <sorted reasons>. preemption: ...`. */
export function failedScheduling(nodeCount: number, reasons: Map<string, number>, preemption: Map<string, number>): string {
  const hist = (m: Map<string, number>) => [...m].map(([reason, n]) => `${n} ${reason}`).sort();
  let s = `0/${nodeCount} nodes are available:`;
  if (reasons.size) s += ` ${hist(reasons).join(', ')}.`;
  s += ` preemption: 0/${nodeCount} nodes are available:`;
  if (preemption.size) s += ` ${hist(preemption).join(', ')}.`;
  return s;
}
