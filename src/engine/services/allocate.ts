/**
 * What the API server does to a Service on create: validation (ValidateService, the subset the
 * engine reads), defaulting (SetDefaults_Service and the REST strategy), and allocation of
 * clusterIP, nodePorts, healthCheckNodePort, plus a load-balancer address from the simulated
 * cloud. Results are written back into a copy of the manifest, so `kubectl get svc -o yaml`
 * shows spec.clusterIP(s), ports[].nodePort and status.loadBalancer.ingress like a real cluster.
 *
 * Order: addresses the manifests request (and those of Services that already exist) are marked
 * used before anything is handed out at random, as the repair loop does on API-server start.
 * Random allocation follows pkg/registry/core/service/{ipallocator,portallocator}: random over
 * the upper band first, the lower band (reserved for static requests) only when the upper is full.
 */
import { formatIpv4, parseIpv4, type Cidr, type Ipv4 } from '../addressing/ipv4';
import type { ClusterConfig, ManifestRec } from '../model/cluster';
import type { ScenarioError } from '../model/source';
import { dns1123Label, dns1123Subdomain, duplicate, invalid, portName, portNumber, required, unsupported } from '../scenario/messages';
import { fieldPath, type Path } from '../scenario/problems';
import type { Rng } from '../sim/rng';
import { isPlainObject } from '../scenario/parseFiles';
import { LoadBalancerPool } from './lbPool';
import { BandAllocator, ipRangeOffset, nodePortRangeOffset } from './bandAllocator';
import { validateSourceRanges } from './sourceRanges';
import { labelErrors } from '../scenario/labels';
import { endpointIpProblems } from '../scenario/endpointsValidation';

/** kube-apiserver --service-node-port-range default. */
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
/** sessionAffinityConfig.clientIP.timeoutSeconds default (core/v1 DefaultClientIPServiceAffinitySeconds). */
export const DEFAULT_AFFINITY_TIMEOUT = 10800;

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

type Spec = Record<string, unknown>;
type Port = Record<string, unknown>;

const svcObject = (rec: ManifestRec) => `Service/${rec.meta.namespace ?? 'default'}/${rec.meta.name}`;

/** The Service allocators' state: Service IPs, node ports, load-balancer addresses. */
export class ServiceAllocator {
  readonly ips: BandAllocator;
  readonly ports: BandAllocator;
  readonly lb = new LoadBalancerPool();

  constructor(
    readonly config: ClusterConfig,
    readonly rng: Rng,
  ) {
    const cidr = config.serviceCIDR;
    // ipallocator.New: the network address and (IPv4) the broadcast address are never handed out.
    this.ips = new BandAllocator(Math.max(0, cidr.size - 2), ipRangeOffset(cidr.size));
    this.ports = new BandAllocator(NODE_PORT_MAX - NODE_PORT_MIN + 1, nodePortRangeOffset(NODE_PORT_MAX - NODE_PORT_MIN + 1));
  }

  get cidr(): Cidr {
    return this.config.serviceCIDR;
  }

  ipOffset(ip: Ipv4): number {
    if (!this.cidr.contains(ip)) return -1;
    const o = ip - this.cidr.network - 1;
    return o >= 0 && o < this.ips.size ? o : -1;
  }

  /** Mark everything an existing (already allocated) Service holds. */
  markUsed(manifest: Record<string, unknown>): void {
    const spec = isPlainObject(manifest.spec) ? manifest.spec : {};
    const ip = typeof spec.clusterIP === 'string' ? parseIpv4(spec.clusterIP) : null;
    if (ip !== null && this.ipOffset(ip) >= 0) this.ips.take(this.ipOffset(ip));
    for (const p of portsOf(spec)) if (typeof p.nodePort === 'number') this.ports.take(p.nodePort - NODE_PORT_MIN);
    if (typeof spec.healthCheckNodePort === 'number') this.ports.take(spec.healthCheckNodePort - NODE_PORT_MIN);
    for (const ipText of lbIngressIps(manifest)) {
      const lbIp = parseIpv4(ipText);
      if (lbIp !== null) this.lb.take(lbIp);
    }
  }
}

function portsOf(spec: Spec): Port[] {
  return Array.isArray(spec.ports) ? spec.ports.filter(isPlainObject) : [];
}

function lbIngressIps(manifest: Record<string, unknown>): string[] {
  const status = isPlainObject(manifest.status) ? manifest.status : {};
  const lb = isPlainObject(status.loadBalancer) ? status.loadBalancer : {};
  const ingress = Array.isArray(lb.ingress) ? lb.ingress : [];
  return ingress.flatMap((i) => (isPlainObject(i) && typeof i.ip === 'string' ? [i.ip] : []));
}

/** An error about one field of a Service, pointing at that field in its file. */
function fieldError(rec: ManifestRec, path: Path, message: string, field = fieldPath(path)): ScenarioError {
  const src = rec.source;
  return {
    file: src?.file ?? '',
    object: svcObject(rec),
    ...(field ? { field } : {}),
    message,
    ...(src ? { source: { ...src, path: [...src.path, ...path] } } : {}),
  };
}

interface Draft {
  rec: ManifestRec;
  manifest: Record<string, unknown>;
  spec: Spec;
  ports: Port[];
  type: string;
  headless: boolean;
}

/** Validation and defaulting; a Draft holds the defaulted copy of the manifest. */
function validate(rec: ManifestRec, errors: ScenarioError[]): Draft | undefined {
  const before = errors.length;
  const src = isPlainObject(rec.manifest.spec) ? rec.manifest.spec : {};
  const spec: Spec = { ...src };
  const type = spec.type === undefined || spec.type === null || spec.type === '' ? 'ClusterIP' : String(spec.type);
  const bad = (path: Path, msg: string, field?: string) => errors.push(fieldError(rec, path, msg, field));
  if (!TYPES.includes(type)) bad(['spec', 'type'], unsupported(type, TYPES));
  spec.type = type;
  const headless = spec.clusterIP === 'None';
  if (type === 'ExternalName') {
    if (typeof spec.externalName !== 'string' || spec.externalName === '') bad(['spec', 'externalName'], required());
    else {
      // ValidateService: a DNS-1123 subdomain, a trailing dot allowed.
      const clean = spec.externalName.endsWith('.') ? spec.externalName.slice(0, -1) : spec.externalName;
      for (const msg of dns1123Subdomain(clean)) bad(['spec', 'externalName'], invalid(spec.externalName, msg));
    }
  }
  if (headless && (type === 'NodePort' || type === 'LoadBalancer')) bad(['spec', 'clusterIPs', 0], invalid('None', `may not be set to 'None' for ${type} services`));

  // ValidateService: the selector is a label map.
  if (isPlainObject(src.selector)) for (const e of labelErrors(src.selector)) bad(['spec', 'selector', e.key], e.message, 'spec.selector');
  const rawPorts = Array.isArray(src.ports) ? src.ports : [];
  if (rawPorts.length === 0 && type !== 'ExternalName' && !headless) bad(['spec', 'ports'], required());
  const names = new Set<string>();
  const ports: Port[] = rawPorts.map((raw, i) => {
    const p: Port = isPlainObject(raw) ? { ...raw } : {};
    const at = (f: string): Path => ['spec', 'ports', i, f];
    const name = typeof p.name === 'string' ? p.name : '';
    // validateServicePort: every port of a multi-port Service needs a unique name, a DNS-1123 label.
    if (rawPorts.length > 1 && name === '') bad(at('name'), required());
    else if (name !== '') {
      for (const msg of dns1123Label(name)) bad(at('name'), invalid(name, msg));
      if (names.has(name)) bad(at('name'), duplicate(name));
      names.add(name);
    }
    const protocol = p.protocol === undefined || p.protocol === null ? 'TCP' : String(p.protocol);
    if (!PROTOCOLS.includes(protocol)) bad(at('protocol'), unsupported(protocol, PROTOCOLS));
    p.protocol = protocol;
    if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      if (p.port === undefined) bad(at('port'), required());
      else bad(at('port'), invalid(p.port, 'must be between 1 and 65535, inclusive'));
    }
    // SetDefaults_Service: targetPort 0 or "" defaults to port. Then ValidatePortNumOrName: a number
    // is a port number; a string (even "8080": IntOrString keeps a JSON string a name) an IANA_SVC_NAME.
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    else if (typeof p.targetPort === 'number') for (const msg of portNumber(p.targetPort)) bad(at('targetPort'), invalid(p.targetPort, msg));
    else if (typeof p.targetPort === 'string') for (const msg of portName(p.targetPort)) bad(at('targetPort'), invalid(p.targetPort, msg));
    else bad(at('targetPort'), invalid(p.targetPort, 'must be a port number or name'));
    if (p.nodePort !== undefined && p.nodePort !== null && p.nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') bad(at('nodePort'), `Forbidden: may not be used when \`type\` is '${type}'`);
      else if (typeof p.nodePort !== 'number') bad(at('nodePort'), invalid(p.nodePort, 'must be between 1 and 65535, inclusive'));
    } else delete p.nodePort;
    return p;
  });

  const affinity = spec.sessionAffinity === undefined || spec.sessionAffinity === null || spec.sessionAffinity === '' ? 'None' : String(spec.sessionAffinity);
  if (affinity !== 'None' && affinity !== 'ClientIP') bad(['spec', 'sessionAffinity'], unsupported(affinity, ['ClientIP', 'None']));
  spec.sessionAffinity = affinity;
  if (affinity === 'ClientIP') {
    const cfg = isPlainObject(spec.sessionAffinityConfig) ? spec.sessionAffinityConfig : {};
    const cip = isPlainObject(cfg.clientIP) ? cfg.clientIP : {};
    const timeout = typeof cip.timeoutSeconds === 'number' ? cip.timeoutSeconds : DEFAULT_AFFINITY_TIMEOUT;
    if (!Number.isInteger(timeout) || timeout <= 0 || timeout > 86400) bad(['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'], invalid(timeout, 'must be greater than 0 and less than 86400'));
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: timeout } };
  } else delete spec.sessionAffinityConfig;

  const external = type === 'NodePort' || type === 'LoadBalancer';
  for (const [field, values] of [
    ['externalTrafficPolicy', ['Cluster', 'Local']],
    ['internalTrafficPolicy', ['Cluster', 'Local']],
  ] as const) {
    const v = spec[field];
    if (v === undefined || v === null || v === '') continue;
    if (!(values as readonly string[]).includes(String(v))) bad(['spec', field], unsupported(v, values));
  }
  if (spec.externalTrafficPolicy && !external) bad(['spec', 'externalTrafficPolicy'], invalid(spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  if (external && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (type !== 'ExternalName' && !spec.internalTrafficPolicy) spec.internalTrafficPolicy = 'Cluster';
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  if (type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  } else {
    spec.ipFamilies = ['IPv4'];
    // Headless Services without a selector may be dual-stack (RequireDualStack); others single-stack.
    const selectorless = !isPlainObject(spec.selector) || Object.keys(spec.selector).length === 0;
    spec.ipFamilyPolicy = typeof spec.ipFamilyPolicy === 'string' ? spec.ipFamilyPolicy : headless && selectorless ? 'RequireDualStack' : 'SingleStack';
  }
  if (Array.isArray(src.externalIPs)) {
    src.externalIPs.forEach((e, i) => {
      // ValidateService: IsValidIP, then (for historical reasons) ValidateEndpointIP.
      if (typeof e !== 'string' || parseIpv4(e) === null) bad(['spec', 'externalIPs', i], invalid(e, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      else for (const msg of endpointIpProblems(e)) bad(['spec', 'externalIPs', i], invalid(e, msg));
    });
  }
  for (const e of validateSourceRanges(rec.manifest, type)) bad(e.path, e.message, e.field);
  if (ports.length) spec.ports = ports;
  if (errors.length > before) return undefined;
  const manifest: Record<string, unknown> = { ...rec.manifest, spec };
  return { rec, manifest, spec, ports, type, headless };
}

/** Step 1: the clusterIP and nodePorts the manifest asks for. */
function reserveRequested(a: ServiceAllocator, d: Draft, errors: ScenarioError[]): void {
  const { spec, rec } = d;
  const requested = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && spec.clusterIP !== 'None' ? spec.clusterIP : undefined;
  if (requested !== undefined && d.type !== 'ExternalName') {
    const list = `[]string{${JSON.stringify(requested)}}`;
    const ip = parseIpv4(requested);
    // pkg/registry/core/service/storage/alloc.go: field.Invalid(spec.clusterIPs, ClusterIPs, "failed to allocate IP %v: %v").
    if (ip === null) errors.push(fieldError(rec, ['spec', 'clusterIP'], invalid(requested, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'), 'spec.clusterIPs[0]'));
    else if (a.ipOffset(ip) < 0) {
      errors.push(fieldError(rec, ['spec', 'clusterIP'], `Invalid value: ${list}: failed to allocate IP ${requested}: provided IP is not in the valid range. The range of valid IPs is ${a.cidr}`, 'spec.clusterIPs'));
    } else if (!a.ips.take(a.ipOffset(ip))) {
      errors.push(fieldError(rec, ['spec', 'clusterIP'], `Invalid value: ${list}: failed to allocate IP ${requested}: provided IP is already allocated`, 'spec.clusterIPs'));
    }
  }
  if (d.type === 'LoadBalancer') {
    // A dump's recorded load-balancer address stays with its Service.
    for (const t of lbIngressIps(rec.manifest)) {
      const ip = parseIpv4(t);
      if (ip !== null) a.lb.take(ip);
    }
  }
  const seen = new Map<number, number>();
  d.ports.forEach((p, i) => {
    if (typeof p.nodePort !== 'number') return;
    // The same nodePort may serve one port number over two protocols (portallocator is per Service).
    if (seen.get(p.nodePort) === p.port) return;
    seen.set(p.nodePort, p.port as number);
    const at: Path = ['spec', 'ports', i, 'nodePort'];
    if (p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX) {
      errors.push(fieldError(rec, at, invalid(p.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`)));
    } else if (!a.ports.take(p.nodePort - NODE_PORT_MIN)) errors.push(fieldError(rec, at, invalid(p.nodePort, 'provided port is already allocated')));
  });
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort !== 0) {
    const hc = spec.healthCheckNodePort;
    if (hc < NODE_PORT_MIN || hc > NODE_PORT_MAX || !a.ports.take(hc - NODE_PORT_MIN)) {
      const why = hc < NODE_PORT_MIN || hc > NODE_PORT_MAX ? `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}` : 'provided port is already allocated';
      errors.push(fieldError(rec, ['spec', 'healthCheckNodePort'], invalid(hc, why)));
    }
  }
}

/** Step 2: what is left, at random (IPs, ports) or first free (the load-balancer pool). */
function allocateRest(a: ServiceAllocator, d: Draft, errors: ScenarioError[]): ManifestRec {
  const { spec, rec, type } = d;
  if (type !== 'ExternalName') {
    if (d.headless) spec.clusterIPs = ['None'];
    else {
      let ipText = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : undefined;
      if (!ipText) {
        const o = a.ips.next(a.rng);
        if (o < 0) errors.push(fieldError(rec, ['spec', 'clusterIP'], 'Internal error occurred: failed to allocate a serviceIP: range is full', ''));
        else ipText = formatIpv4(a.cidr.network + 1 + o);
      }
      if (ipText) {
        spec.clusterIP = ipText;
        spec.clusterIPs = [ipText];
      }
    }
  }
  const wantsNodePorts = type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  if (wantsNodePorts) {
    const byPort = new Map<number, number>();
    for (const p of d.ports) if (typeof p.nodePort === 'number') byPort.set(p.port as number, p.nodePort);
    for (const p of d.ports) {
      if (typeof p.nodePort === 'number') continue;
      let np = byPort.get(p.port as number);
      if (np === undefined) {
        const o = a.ports.next(a.rng);
        if (o < 0) {
          errors.push(fieldError(rec, ['spec', 'ports'], 'Internal error occurred: failed to allocate a nodePort: range is full', ''));
          break;
        }
        np = NODE_PORT_MIN + o;
        byPort.set(p.port as number, np);
      }
      p.nodePort = np;
    }
  }
  // NeedsHealthCheck: LoadBalancer with externalTrafficPolicy Local gets a health-check node port.
  if (type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && typeof spec.healthCheckNodePort !== 'number') {
    const o = a.ports.next(a.rng);
    if (o >= 0) spec.healthCheckNodePort = NODE_PORT_MIN + o;
  }
  let manifest = d.manifest;
  if (type === 'LoadBalancer') {
    const existing = lbIngressIps(rec.manifest);
    const wanted = typeof spec.loadBalancerIP === 'string' ? parseIpv4(spec.loadBalancerIP) : null;
    let ip: Ipv4 | null = existing.length ? parseIpv4(existing[0]) : null;
    if (ip === null && wanted !== null) ip = a.lb.take(wanted) ? wanted : null;
    if (ip === null) ip = a.lb.next();
    manifest = { ...manifest, status: { loadBalancer: ip === null ? {} : { ingress: [{ ip: formatIpv4(ip), ipMode: 'VIP' }] } } };
  } else manifest = { ...manifest, status: { loadBalancer: {} } };
  return { ...rec, manifest };
}

export interface AllocationResult {
  /** The input records with Services validated, defaulted and allocated (other kinds unchanged). */
  objects: ManifestRec[];
  errors: ScenarioError[];
}

/**
 * Validate and allocate the Services among `objects` (in creation order). `existing` are Services
 * already in the cluster (their addresses are taken); `previous` maps `Service/ns/name` to the
 * version an update replaces: its clusterIP and nodePorts carry over unless the update sets them.
 */
export function allocateServices(
  objects: ManifestRec[],
  config: ClusterConfig,
  rng: Rng,
  existing: Iterable<ManifestRec> = [],
  previous: Map<string, ManifestRec> = new Map(),
): AllocationResult {
  const a = new ServiceAllocator(config, rng);
  for (const e of existing) if (e.kind === 'Service') a.markUsed(e.manifest);
  const errors: ScenarioError[] = [];
  const drafts: (Draft | undefined)[] = objects.map((o) => {
    if (o.kind !== 'Service') return undefined;
    const prev = previous.get(`Service/${o.meta.namespace ?? 'default'}/${o.meta.name}`);
    return validate(prev ? carryOver(o, prev) : o, errors);
  });
  if (errors.length) return { objects, errors };
  for (const d of drafts) if (d) reserveRequested(a, d, errors);
  if (errors.length) return { objects, errors };
  const out = objects.map((o, i) => {
    const d = drafts[i];
    return d ? allocateRest(a, d, errors) : o;
  });
  return { objects: out, errors };
}

/** An update keeps the clusterIP, the nodePorts of ports it keeps, and the load-balancer address. */
function carryOver(next: ManifestRec, prev: ManifestRec): ManifestRec {
  const ps = isPlainObject(prev.manifest.spec) ? prev.manifest.spec : {};
  const ns: Spec = isPlainObject(next.manifest.spec) ? { ...next.manifest.spec } : {};
  if ((ns.clusterIP === undefined || ns.clusterIP === '') && typeof ps.clusterIP === 'string') ns.clusterIP = ps.clusterIP;
  const oldPorts = portsOf(ps);
  if (Array.isArray(ns.ports)) {
    ns.ports = ns.ports.map((p) => {
      if (!isPlainObject(p) || p.nodePort) return p;
      const old = oldPorts.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      return old && typeof old.nodePort === 'number' ? { ...p, nodePort: old.nodePort } : p;
    });
  }
  if (ns.healthCheckNodePort === undefined && typeof ps.healthCheckNodePort === 'number' && ns.externalTrafficPolicy === 'Local') ns.healthCheckNodePort = ps.healthCheckNodePort;
  const manifest: Record<string, unknown> = { ...next.manifest, spec: ns };
  if (prev.manifest.status) manifest.status = prev.manifest.status;
  return { ...next, manifest };
}

/** Same content regardless of key order (defaulting may add fields in another order than a file). */
export function sameManifest(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}
