/**
 * Reads and validates a PodSpec (of a Pod or of a workload's template) into the parts the
 * engine models, with the API server's messages (pkg/apis/core/validation: validateContainers,
 * validatePorts, validateRestartPolicy, ValidatePodSpec).
 */
import type { ContainerPort, ContainerSpec, NodeSelectorRequirement, NodeSelectorTerm, PodDns } from '../model/cluster';
import type { Toleration } from './types';
import { cannotUnmarshal, dns1123Label, duplicate, invalid, required, unsupported } from './messages';
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

/** `ContainerPort.spec.containers.ports.containerPort`: encoding/json's struct-field path (no indexes). */
const goField = (struct: string, path: Path) => `${struct}.${path.filter((p) => typeof p === 'string').join('.')}`;

function stringList(value: unknown, place: ObjectPlace, cpath: Path, field: string, problems: Problems): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    const path = [...cpath, field];
    problems.at(place, path, cannotUnmarshal(value, goField('Container', path), '[]string'));
    return undefined;
  }
  for (const v of value) if (typeof v !== 'string') return value.map(String);
  return value as string[];
}

/** Paths are built only when there is something to report: this runs for every container of 150,000 pods. */
function readPorts(value: unknown, place: ObjectPlace, cpath: Path, problems: Problems): ContainerPort[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    const path = [...cpath, 'ports'];
    problems.at(place, path, cannotUnmarshal(value, goField('Container', path), '[]v1.ContainerPort'));
    return [];
  }
  const ports: ContainerPort[] = [];
  for (let i = 0; i < value.length; i++) {
    const p = value[i];
    if (!isPlainObject(p)) continue;
    const cp = p.containerPort;
    if (cp === undefined || cp === null) problems.at(place, [...cpath, 'ports', i, 'containerPort'], required());
    else if (typeof cp !== 'number') problems.at(place, [...cpath, 'ports', i, 'containerPort'], cannotUnmarshal(cp, goField('ContainerPort', [...cpath, 'ports', 'containerPort']), 'int32'));
    else if (!Number.isInteger(cp) || cp < 1 || cp > 65535) problems.at(place, [...cpath, 'ports', i, 'containerPort'], invalid(cp, 'must be between 1 and 65535, inclusive'));
    const protocol = p.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') problems.at(place, [...cpath, 'ports', i, 'protocol'], unsupported(protocol, PROTOCOLS));
    const port: ContainerPort = { containerPort: typeof cp === 'number' ? cp : 0, protocol: protocol as ContainerPort['protocol'] };
    if (typeof p.name === 'string') port.name = p.name;
    ports.push(port);
  }
  return ports;
}

function readContainers(value: unknown, place: ObjectPlace, spath: Path, key: string, problems: Problems): ContainerSpec[] {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    if (key === 'containers') problems.at(place, [...spath, key], required());
    return [];
  }
  if (!Array.isArray(value)) {
    const path = [...spath, key];
    problems.at(place, path, cannotUnmarshal(value, goField('PodSpec', path), '[]v1.Container'));
    return [];
  }
  const out: ContainerSpec[] = [];
  let firstName: unknown;
  let names: Set<string> | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (!isPlainObject(c)) {
      problems.at(place, [...spath, key, i], cannotUnmarshal(c, goField('PodSpec', [...spath, key]), 'v1.Container'));
      continue;
    }
    const name = c.name;
    if (name === undefined || name === null || name === '') problems.at(place, [...spath, key, i, 'name'], required());
    else if (typeof name !== 'string') problems.at(place, [...spath, key, i, 'name'], cannotUnmarshal(name, goField('Container', [...spath, key, i, 'name']), 'string'));
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
    const cpath = [...spath, key, i];
    const spec: ContainerSpec = { name: String(name ?? ''), image: String(image ?? ''), ports: readPorts(c.ports, place, cpath, problems) };
    const command = stringList(c.command, place, cpath, 'command', problems);
    const args = stringList(c.args, place, cpath, 'args', problems);
    if (command) spec.command = command;
    if (args) spec.args = args;
    out.push(spec);
  }
  return out;
}

function readTolerations(value: unknown): Toleration[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isPlainObject).map((t) => {
    const tol: Toleration = {};
    if (typeof t.key === 'string') tol.key = t.key;
    if (typeof t.operator === 'string') tol.operator = t.operator;
    if (t.value !== undefined && t.value !== null) tol.value = String(t.value);
    if (typeof t.effect === 'string') tol.effect = t.effect;
    if (typeof t.tolerationSeconds === 'number') tol.tolerationSeconds = t.tolerationSeconds;
    return tol;
  });
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

/** spec.dnsPolicy and spec.dnsConfig, kept for kubelet's resolv.conf (dns/resolvConf.ts). */
function readDns(policy: unknown, config: unknown): PodDns | undefined {
  const dns: PodDns = {};
  if (typeof policy === 'string' && DNS_POLICIES.includes(policy)) dns.policy = policy as PodDns['policy'];
  if (isPlainObject(config)) {
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
    const ns = strings(config.nameservers);
    const se = strings(config.searches);
    if (ns) dns.nameservers = ns;
    if (se) dns.searches = se;
    if (Array.isArray(config.options)) {
      dns.options = config.options.filter(isPlainObject).map((o) => ({ name: String(o.name ?? ''), ...(o.value !== undefined && o.value !== null ? { value: String(o.value) } : {}) }));
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
  if (s.nodeName !== undefined && s.nodeName !== null && s.nodeName !== '') {
    if (typeof s.nodeName !== 'string') problems.at(place, [...path, 'nodeName'], cannotUnmarshal(s.nodeName, goField('PodSpec', [...path, 'nodeName']), 'string'));
    else decl.nodeName = s.nodeName;
  }
  if (s.hostNetwork !== undefined && s.hostNetwork !== null) {
    if (typeof s.hostNetwork !== 'boolean') problems.at(place, [...path, 'hostNetwork'], cannotUnmarshal(s.hostNetwork, goField('PodSpec', [...path, 'hostNetwork']), 'bool'));
    else decl.hostNetwork = s.hostNetwork;
  }
  for (const key of ['hostname', 'subdomain'] as const) {
    const v = s[key];
    if (v === undefined || v === null || v === '') continue;
    const text = String(v);
    for (const msg of dns1123Label(text)) problems.at(place, [...path, key], invalid(text, msg));
    decl[key] = text;
  }
  if (s.restartPolicy !== undefined && s.restartPolicy !== null) {
    const allowed = workload ? ['Always'] : RESTART_POLICIES;
    if (!allowed.includes(s.restartPolicy as string)) problems.at(place, [...path, 'restartPolicy'], unsupported(s.restartPolicy, allowed));
    else decl.restartPolicy = s.restartPolicy as string;
  }
  const tolerations = readTolerations(s.tolerations);
  if (tolerations) decl.tolerations = tolerations;
  if (isPlainObject(s.nodeSelector) && Object.keys(s.nodeSelector).length) {
    decl.nodeSelector = Object.fromEntries(Object.entries(s.nodeSelector).map(([k, v]) => [k, String(v)]));
  }
  const nodeAffinity = readNodeAffinity(s.affinity);
  if (nodeAffinity) decl.nodeAffinity = nodeAffinity;
  const dns = readDns(s.dnsPolicy, s.dnsConfig);
  if (dns) decl.dns = dns;
  return decl;
}
