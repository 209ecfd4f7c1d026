/**
 * Reads and validates a PodSpec (of a Pod or of a workload's template) into the parts the
 * engine models, with the API server's messages (pkg/apis/core/validation: validateContainers,
 * validateContainerPorts, validateRestartPolicy, ValidatePodSpec). Types were checked by the
 * decoder (schema.ts): a field here holds its declared type or nothing.
 */
import type { ContainerPort, ContainerSpec, NodeSelectorRequirement, NodeSelectorTerm, PodDns } from '../model/cluster';
import type { Toleration } from './types';
import { dns1123Label, dns1123Subdomain, duplicate, invalid, labelValue, portName, qualifiedName, quote, required, unsupported } from './messages';
import { isIp } from './endpointsValidation';
import { validateLabels } from './labels';
import { isPlainObject } from './parseFiles';
import type { ObjectPlace, Path, Problems } from './problems';

export interface PodSpecDecl {
  nodeName: string;
  hostNetwork: boolean;
  containers: ContainerSpec[];
  hostname?: string;
  subdomain?: string;
  restartPolicy?: string;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  nodeAffinity?: NodeSelectorTerm[];
  dns?: PodDns;
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

/** A decoded []string field (schema.ts): its strings. */
function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** Paths are built only when there is something to report: this runs for every container of 150,000 pods. */
function readPorts(value: unknown, place: ObjectPlace, cpath: Path, problems: Problems): ContainerPort[] {
  if (!Array.isArray(value)) return [];
  const ports: ContainerPort[] = [];
  for (let i = 0; i < value.length; i++) {
    // A JSON null in a list decodes to the zero value (and is then validated as such).
    const p = value[i] === null ? {} : value[i];
    if (!isPlainObject(p)) continue;
    const cp = p.containerPort;
    if (cp === undefined || cp === null || cp === 0) problems.at(place, [...cpath, 'ports', i, 'containerPort'], required());
    else if (typeof cp === 'number' && (cp < 1 || cp > 65535)) problems.at(place, [...cpath, 'ports', i, 'containerPort'], invalid(cp, 'must be between 1 and 65535, inclusive'));
    if (typeof p.hostPort === 'number' && p.hostPort !== 0 && (p.hostPort < 1 || p.hostPort > 65535)) problems.at(place, [...cpath, 'ports', i, 'hostPort'], invalid(p.hostPort, 'must be between 1 and 65535, inclusive'));
    const protocol = p.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') problems.at(place, [...cpath, 'ports', i, 'protocol'], unsupported(protocol, PROTOCOLS));
    const port: ContainerPort = { containerPort: typeof cp === 'number' ? cp : 0, protocol: protocol as ContainerPort['protocol'] };
    if (typeof p.name === 'string' && p.name !== '') {
      // validateContainerPorts: a port name is an IANA_SVC_NAME.
      for (const msg of portName(p.name)) problems.at(place, [...cpath, 'ports', i, 'name'], invalid(p.name, msg));
      port.name = p.name;
    }
    ports.push(port);
  }
  return ports;
}

function readContainers(value: unknown, place: ObjectPlace, spath: Path, key: string, problems: Problems): ContainerSpec[] {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    if (key === 'containers') problems.at(place, [...spath, key], required());
    return [];
  }
  if (!Array.isArray(value)) return [];
  const out: ContainerSpec[] = [];
  let firstName: unknown;
  let names: Set<string> | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] === null ? {} : value[i];
    if (!isPlainObject(c)) continue;
    const name = c.name;
    if (typeof name !== 'string' || name === '') problems.at(place, [...spath, key, i, 'name'], required());
    else {
      for (const msg of dns1123Label(name)) problems.at(place, [...spath, key, i, 'name'], invalid(name, msg));
      // Most pods have one container: no Set until a second name comes.
      if (i === 0) firstName = name;
      else {
        names ??= new Set([firstName as string]);
        if (names.has(name)) problems.at(place, [...spath, key, i, 'name'], duplicate(name));
        names.add(name);
      }
    }
    const image = c.image;
    if (image === undefined || image === null || image === '') problems.at(place, [...spath, key, i, 'image'], required());
    // validateContainerCommon: the image name may not be padded with whitespace.
    else if (typeof image === 'string' && image.trim() !== image) problems.at(place, [...spath, key, i, 'image'], invalid(image, 'must not have leading or trailing whitespace'));
    const cpath = [...spath, key, i];
    const spec: ContainerSpec = { name: typeof name === 'string' ? name : '', image: typeof image === 'string' ? image : '', ports: readPorts(c.ports, place, cpath, problems) };
    const command = stringList(c.command);
    const args = stringList(c.args);
    if (command) spec.command = command;
    if (args) spec.args = args;
    const sc = securityContextOf(c.securityContext);
    if (sc) spec.securityContext = sc;
    out.push(spec);
  }
  return out;
}

/** The parts of a container's securityContext the engine acts on: privileged, capabilities.add. */
function securityContextOf(v: unknown): ContainerSpec['securityContext'] {
  if (!isPlainObject(v)) return undefined;
  const sc: NonNullable<ContainerSpec['securityContext']> = {};
  if (v.privileged === true) sc.privileged = true;
  const add = isPlainObject(v.capabilities) ? stringList(v.capabilities.add) : undefined;
  if (add?.length) sc.capabilities = { add };
  return Object.keys(sc).length ? sc : undefined;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** spec.tolerations, validated as ValidateTolerations does (pkg/apis/core/validation). */
function readTolerations(value: unknown, place: ObjectPlace, path: Path, problems: Problems): Toleration[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Toleration[] = [];
  value.forEach((t, i) => {
    if (!isPlainObject(t)) return;
    const at = (f: string): Path => [...path, 'tolerations', i, f];
    const tol: Toleration = {};
    const key = typeof t.key === 'string' ? t.key : '';
    const operator = typeof t.operator === 'string' ? t.operator : '';
    const val = typeof t.value === 'string' ? t.value : '';
    const effect = typeof t.effect === 'string' ? t.effect : '';
    if (key !== '') for (const msg of qualifiedName(key)) problems.at(place, at('key'), invalid(key, msg));
    if (key === '' && operator !== 'Exists') problems.at(place, at('operator'), invalid(operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (typeof t.tolerationSeconds === 'number' && effect !== 'NoExecute') problems.at(place, at('effect'), invalid(effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (operator === 'Equal' || operator === '') {
      const errs = labelValue(val);
      if (errs.length) problems.at(place, at('operator'), invalid(val, errs.join(';')));
    } else if (operator === 'Exists') {
      // field.Invalid with the whole toleration: Go's %#v of the struct (a set tolerationSeconds is a pointer Go prints as an address).
      const seconds = typeof t.tolerationSeconds === 'number' ? '(*int64)(0xc000000000)' : '(*int64)(nil)';
      const goValue = `core.Toleration{Key:${quote(key)}, Operator:${quote(operator)}, Value:${quote(val)}, Effect:${quote(effect)}, TolerationSeconds:${seconds}}`;
      if (val !== '') problems.at(place, at('operator'), `Invalid value: ${goValue}: value must be empty when \`operator\` is 'Exists'`);
    } else problems.at(place, at('operator'), unsupported(operator, ['Equal', 'Exists']));
    if (effect !== '' && !TAINT_EFFECTS.includes(effect)) problems.at(place, at('effect'), unsupported(effect, TAINT_EFFECTS));
    if (key) tol.key = key;
    if (operator) tol.operator = operator;
    if (typeof t.value === 'string') tol.value = t.value;
    if (effect) tol.effect = effect;
    if (typeof t.tolerationSeconds === 'number') tol.tolerationSeconds = t.tolerationSeconds;
    out.push(tol);
  });
  return out;
}

function readRequirements(value: unknown): NodeSelectorRequirement[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isPlainObject).map((r) => ({
    key: String(r.key ?? ''),
    operator: String(r.operator ?? ''),
    ...(Array.isArray(r.values) ? { values: r.values.map(String) } : {}),
  }));
}

/** spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms (preferred terms only score: not modelled). */
function readNodeAffinity(affinity: unknown): NodeSelectorTerm[] | undefined {
  const na = isPlainObject(affinity) && isPlainObject(affinity.nodeAffinity) ? affinity.nodeAffinity : undefined;
  const req = na && isPlainObject(na.requiredDuringSchedulingIgnoredDuringExecution) ? na.requiredDuringSchedulingIgnoredDuringExecution : undefined;
  if (!req || !Array.isArray(req.nodeSelectorTerms)) return undefined;
  return req.nodeSelectorTerms.filter(isPlainObject).map((t) => {
    const term: NodeSelectorTerm = {};
    const exprs = readRequirements(t.matchExpressions);
    const fields = readRequirements(t.matchFields);
    if (exprs) term.matchExpressions = exprs;
    if (fields) term.matchFields = fields;
    return term;
  });
}

const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];

/** pkg/apis/core/validation: MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars. */
const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATHS = 32;
const MAX_SEARCH_CHARS = 2048;

/** Go's %#v of a []string, as field.Invalid prints a list. */
const goStrings = (list: string[]) => `[]string{${list.map((x) => quote(x)).join(', ')}}`;

/**
 * spec.dnsPolicy and spec.dnsConfig, kept for kubelet's resolv.conf (dns/resolvConf.ts), validated
 * as validateDNSPolicy and validatePodDNSConfig do: nameservers are IPs (at most 3), searches
 * DNS-1123 subdomains (a trailing dot allowed; at most 32, 2048 characters), options named, and
 * dnsPolicy None needs a nameserver — so nothing but a resolv.conf line reaches resolv.conf.
 */
function readDns(policy: unknown, config: unknown, place: ObjectPlace, path: Path, problems: Problems): PodDns | undefined {
  const dns: PodDns = {};
  if (typeof policy === 'string' && policy !== '') {
    if (DNS_POLICIES.includes(policy)) dns.policy = policy as PodDns['policy'];
    else problems.at(place, [...path, 'dnsPolicy'], unsupported(policy, DNS_POLICIES));
  }
  const cpath = [...path, 'dnsConfig'];
  if (policy === 'None' && !isPlainObject(config)) problems.at(place, cpath, required('must provide `dnsConfig` when `dnsPolicy` is None'));
  if (isPlainObject(config)) {
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
    const ns = strings(config.nameservers);
    const se = strings(config.searches);
    if (policy === 'None' && !ns?.length) problems.at(place, [...cpath, 'nameservers'], required('must provide at least one DNS nameserver when `dnsPolicy` is None'));
    if (ns) {
      if (ns.length > MAX_NAMESERVERS) problems.at(place, [...cpath, 'nameservers'], `Invalid value: ${goStrings(ns)}: must not have more than ${MAX_NAMESERVERS} nameservers`);
      ns.forEach((n, i) => {
        if (!isIp(n)) problems.at(place, [...cpath, 'nameservers', i], invalid(n, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      });
      dns.nameservers = ns;
    }
    if (se) {
      if (se.length > MAX_SEARCH_PATHS) problems.at(place, [...cpath, 'searches'], `Invalid value: ${goStrings(se)}: must not have more than ${MAX_SEARCH_PATHS} search paths`);
      if (se.join(' ').length > MAX_SEARCH_CHARS) problems.at(place, [...cpath, 'searches'], `Invalid value: ${goStrings(se)}: must not have more than ${MAX_SEARCH_CHARS} characters (including spaces) in the search list`);
      se.forEach((x, i) => {
        const search = x.endsWith('.') ? x.slice(0, -1) : x;
        for (const msg of dns1123Subdomain(search)) problems.at(place, [...cpath, 'searches', i], invalid(search, msg));
      });
      dns.searches = se;
    }
    if (Array.isArray(config.options)) {
      config.options.forEach((o, i) => {
        if (isPlainObject(o) && (typeof o.name !== 'string' || o.name === '')) problems.at(place, [...cpath, 'options', i], required('Option.Name must not be empty'));
      });
      dns.options = config.options.filter(isPlainObject).map((o) => ({ name: typeof o.name === 'string' ? o.name : '', ...(typeof o.value === 'string' ? { value: o.value } : {}) }));
    }
  }
  return Object.keys(dns).length ? dns : undefined;
}

/**
 * `path` is where the PodSpec sits (['spec'] for a Pod, ['spec', 'template', 'spec'] for a
 * workload). `workload` restricts restartPolicy to Always, as ValidatePodTemplateSpecForReplicaSet does.
 */
export function readPodSpec(spec: unknown, place: ObjectPlace, path: Path, problems: Problems, workload = false): PodSpecDecl {
  const s = isPlainObject(spec) ? spec : {};
  const containers = readContainers(s.containers, place, path, 'containers', problems);
  if (s.initContainers !== undefined && s.initContainers !== null) readContainers(s.initContainers, place, path, 'initContainers', problems);
  const decl: PodSpecDecl = { nodeName: '', hostNetwork: false, containers };
  if (typeof s.nodeName === 'string') decl.nodeName = s.nodeName;
  if (typeof s.hostNetwork === 'boolean') decl.hostNetwork = s.hostNetwork;
  for (const key of ['hostname', 'subdomain'] as const) {
    const text = s[key];
    if (typeof text !== 'string' || text === '') continue;
    for (const msg of dns1123Label(text)) problems.at(place, [...path, key], invalid(text, msg));
    decl[key] = text;
  }
  if (isPlainObject(s.nodeSelector)) validateLabels(s.nodeSelector, place, [...path, 'nodeSelector'], problems);
  if (s.restartPolicy !== undefined && s.restartPolicy !== null && s.restartPolicy !== '') {
    const allowed = workload ? ['Always'] : RESTART_POLICIES;
    if (!allowed.includes(s.restartPolicy as string)) problems.at(place, [...path, 'restartPolicy'], unsupported(s.restartPolicy, allowed));
    else decl.restartPolicy = s.restartPolicy as string;
  }
  const tolerations = readTolerations(s.tolerations, place, path, problems);
  if (tolerations) decl.tolerations = tolerations;
  if (isPlainObject(s.nodeSelector) && Object.keys(s.nodeSelector).length) {
    decl.nodeSelector = Object.fromEntries(Object.entries(s.nodeSelector).map(([k, v]) => [k, String(v)]));
  }
  const nodeAffinity = readNodeAffinity(s.affinity);
  if (nodeAffinity) decl.nodeAffinity = nodeAffinity;
  const dns = readDns(s.dnsPolicy, s.dnsConfig, place, path, problems);
  if (dns) decl.dns = dns;
  return decl;
}
