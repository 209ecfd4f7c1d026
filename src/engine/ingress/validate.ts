/**
 * Ingress validation as the API server does it (kubernetes pkg/apis/networking/validation/
 * validation.go ValidateIngressSpec, validateIngressRules, validateHTTPIngressPath,
 * validateIngressBackend, validateIngressTLS), with its field.Error texts. Paths are relative to
 * the object, so the loader can place them.
 */
import { parseIpv4 } from '../addressing/ipv4';
import { dns1035Label, dns1123Subdomain, invalid, required, unsupported } from '../scenario/messages';
import { portNameProblems } from '../policy/validate';

export interface IngressProblem {
  path: (string | number)[];
  message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'] as const;
const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];

/** validation.IsWildcardDNS1123Subdomain. */
function wildcardProblems(host: string): string[] {
  const errs: string[] = [];
  if (host.length > 253) errs.push('must be no more than 253 characters');
  if (!/^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host)) {
    errs.push(
      `a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
  }
  return errs;
}

function hostProblems(host: string, at: (string | number)[], out: IngressProblem[]): void {
  if (host.includes('*')) for (const m of wildcardProblems(host)) out.push({ path: at, message: invalid(host, m) });
  else for (const m of dns1123Subdomain(host)) out.push({ path: at, message: invalid(host, m) });
}

function backendProblems(b: unknown, at: (string | number)[], out: IngressProblem[]): void {
  const backend = isObj(b) ? b : {};
  const svc = isObj(backend.service) ? backend.service : undefined;
  const res = isObj(backend.resource) ? backend.resource : undefined;
  if (svc && res) {
    out.push({ path: at, message: invalid('', 'cannot set both resource and service backends') });
    return;
  }
  if (res) {
    if (!res.kind) out.push({ path: [...at, 'resource', 'kind'], message: required('kind is required') });
    if (!res.name) out.push({ path: [...at, 'resource', 'name'], message: required('name is required') });
    return;
  }
  if (!svc) {
    out.push({ path: at, message: invalid('', 'resource or service backend is required') });
    return;
  }
  const name = typeof svc.name === 'string' ? svc.name : '';
  if (!name) out.push({ path: [...at, 'service', 'name'], message: required() });
  else for (const m of dns1035Label(name)) out.push({ path: [...at, 'service', 'name'], message: invalid(name, m) });
  const port = isObj(svc.port) ? svc.port : {};
  const pname = typeof port.name === 'string' ? port.name : '';
  const pnum = typeof port.number === 'number' ? port.number : 0;
  if (pname && pnum) out.push({ path: at, message: invalid('', 'cannot set both port name & port number') });
  else if (pname) for (const m of portNameProblems(pname)) out.push({ path: [...at, 'service', 'port', 'name'], message: invalid(pname, m) });
  else if (pnum) {
    if (!Number.isInteger(pnum) || pnum < 1 || pnum > 65535) out.push({ path: [...at, 'service', 'port', 'number'], message: invalid(pnum, 'must be between 1 and 65535, inclusive') });
  } else out.push({ path: at, message: required('port name or number is required') });
}

function pathProblems(p: Obj, at: (string | number)[], out: IngressProblem[]): void {
  const pathType = p.pathType;
  if (pathType === undefined || pathType === null || pathType === '') {
    out.push({ path: [...at, 'pathType'], message: required('pathType must be specified') });
    return;
  }
  const path = typeof p.path === 'string' ? p.path : '';
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!path.startsWith('/')) out.push({ path: [...at, 'path'], message: invalid(path, 'must be an absolute path') });
    if (path.length) {
      for (const s of INVALID_SEQUENCES) if (path.includes(s)) out.push({ path: [...at, 'path'], message: invalid(path, `must not contain '${s}'`) });
      for (const s of INVALID_SUFFIXES) if (path.endsWith(s)) out.push({ path: [...at, 'path'], message: invalid(path, `cannot end with '${s}'`) });
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (path.length && !path.startsWith('/')) out.push({ path: [...at, 'path'], message: invalid(path, 'must be an absolute path') });
  } else out.push({ path: [...at, 'pathType'], message: unsupported(pathType, PATH_TYPES) });
  backendProblems(p.backend, [...at, 'backend'], out);
}

export function validateIngress(manifest: Obj): IngressProblem[] {
  const out: IngressProblem[] = [];
  const spec = isObj(manifest.spec) ? manifest.spec : {};
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  if (!rules.length && spec.defaultBackend === undefined) {
    out.push({ path: ['spec'], message: `Invalid value: []networking.IngressRule(nil): either \`defaultBackend\` or \`rules\` must be specified` });
  }
  if (spec.defaultBackend !== undefined) backendProblems(spec.defaultBackend, ['spec', 'defaultBackend'], out);
  rules.forEach((r, i) => {
    const rule = isObj(r) ? r : {};
    const at = ['spec', 'rules', i];
    if (typeof rule.host === 'string' && rule.host) {
      if (parseIpv4(rule.host) !== null || rule.host.includes(':')) out.push({ path: [...at, 'host'], message: invalid(rule.host, 'must be a DNS name, not an IP address') });
      hostProblems(rule.host, [...at, 'host'], out);
    }
    if (isObj(rule.http)) {
      const paths = Array.isArray(rule.http.paths) ? rule.http.paths : [];
      if (!paths.length) out.push({ path: [...at, 'http', 'paths'], message: required() });
      paths.forEach((p, j) => pathProblems(isObj(p) ? p : {}, [...at, 'http', 'paths', j], out));
    }
  });
  const tls = Array.isArray(spec.tls) ? spec.tls : [];
  tls.forEach((t, i) => {
    const entry = isObj(t) ? t : {};
    const hosts = Array.isArray(entry.hosts) ? entry.hosts : [];
    hosts.forEach((h, j) => hostProblems(String(h), ['spec', 'tls', i, 'hosts', j], out));
    if (typeof entry.secretName === 'string' && entry.secretName) for (const m of dns1123Subdomain(entry.secretName)) out.push({ path: ['spec', 'tls', i, 'secretName'], message: invalid(entry.secretName, m) });
  });
  if (typeof spec.ingressClassName === 'string') for (const m of dns1123Subdomain(spec.ingressClassName)) out.push({ path: ['spec', 'ingressClassName'], message: invalid(spec.ingressClassName, m) });
  return out;
}

/** IngressClass: spec.controller is required and immutable (ValidateIngressClass). */
export function validateIngressClass(manifest: Obj): IngressProblem[] {
  const spec = isObj(manifest.spec) ? manifest.spec : {};
  const c = typeof spec.controller === 'string' ? spec.controller : '';
  if (!c) return [{ path: ['spec', 'controller'], message: required() }];
  if (c.length > 250) return [{ path: ['spec', 'controller'], message: `Too long: may not be more than 250 bytes` }];
  return [];
}
