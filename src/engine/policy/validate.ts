/**
 * NetworkPolicy validation as the API server does it (pkg/apis/networking/validation/
 * validation.go ValidateNetworkPolicySpec, ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer,
 * ValidateIPBlock; apimachinery ValidateLabelSelector, IsValidPortNum, IsValidPortName), with
 * its field.Error texts. Paths are relative to the object, so the loader can place them.
 */
import { Cidr } from '../addressing/ipv4';

export interface PolicyProblem {
  path: (string | number)[];
  message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const q = (v: unknown) => JSON.stringify(String(v));

const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const PORT_RANGE = 'must be between 1 and 65535, inclusive';

/** validation.IsValidPortName. */
export function portNameProblems(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.length > 0 && (name[0] === '-' || name[name.length - 1] === '-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

const validPort = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;

function selectorProblems(v: unknown, path: (string | number)[], out: PolicyProblem[]): void {
  if (!isObj(v) || !Array.isArray(v.matchExpressions)) return;
  v.matchExpressions.forEach((e, i) => {
    if (!isObj(e)) return;
    const p = [...path, 'matchExpressions', i];
    const values = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) out.push({ path: [...p, 'values'], message: "Required value: must be specified when `operator` is 'In' or 'NotIn'" });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) out.push({ path: [...p, 'values'], message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'" });
        break;
      default:
        out.push({ path: [...p, 'operator'], message: `Invalid value: ${q(e.operator ?? '')}: not a valid selector operator` });
    }
    if (typeof e.key !== 'string' || e.key === '') out.push({ path: [...p, 'key'], message: 'Invalid value: "": name part must be non-empty' });
  });
}

function portProblems(v: unknown, path: (string | number)[], out: PolicyProblem[]): void {
  if (!isObj(v)) return;
  if (v.protocol !== undefined && v.protocol !== 'TCP' && v.protocol !== 'UDP' && v.protocol !== 'SCTP') {
    out.push({ path: [...path, 'protocol'], message: `Unsupported value: ${q(v.protocol)}: supported values: "TCP", "UDP", "SCTP"` });
  }
  const endPort = v.endPort;
  if (v.port !== undefined && v.port !== null) {
    if (typeof v.port === 'number') {
      if (!validPort(v.port)) out.push({ path: [...path, 'port'], message: `Invalid value: ${v.port}: ${PORT_RANGE}` });
      if (typeof endPort === 'number') {
        // Upstream reports the *port* value here (validation.go), and we print what it prints.
        if (endPort < v.port) out.push({ path: [...path, 'endPort'], message: `Invalid value: ${v.port}: must be greater than or equal to \`port\`` });
        if (!validPort(endPort)) out.push({ path: [...path, 'endPort'], message: `Invalid value: ${endPort}: ${PORT_RANGE}` });
      }
    } else {
      if (endPort !== undefined) out.push({ path: [...path, 'endPort'], message: `Invalid value: ${String(endPort)}: may not be specified when \`port\` is non-numeric` });
      for (const msg of portNameProblems(String(v.port))) out.push({ path: [...path, 'port'], message: `Invalid value: ${q(v.port)}: ${msg}` });
    }
  } else if (endPort !== undefined) {
    out.push({ path: [...path, 'endPort'], message: `Invalid value: ${String(endPort)}: may not be specified when \`port\` is not specified` });
  }
}

function ipBlockProblems(v: unknown, path: (string | number)[], out: PolicyProblem[]): void {
  const b = isObj(v) ? v : {};
  const text = typeof b.cidr === 'string' ? b.cidr : '';
  if (text === '') {
    out.push({ path: [...path, 'cidr'], message: 'Required value' });
    return;
  }
  const cidr = Cidr.parse(text);
  if (!cidr) {
    out.push({ path: [...path, 'cidr'], message: `Invalid value: ${q(text)}: ${INVALID_CIDR}` });
    return;
  }
  (Array.isArray(b.except) ? b.except : []).forEach((e, i) => {
    const ex = Cidr.parse(String(e));
    if (!ex) {
      out.push({ path: [...path, 'except', i], message: `Invalid value: ${q(e)}: ${INVALID_CIDR}` });
      return;
    }
    if (!cidr.contains(ex.network) || cidr.prefix >= ex.prefix) out.push({ path: [...path, 'except', i], message: `Invalid value: ${q(e)}: must be a strict subset of \`cidr\`` });
  });
}

function peerProblems(v: unknown, path: (string | number)[], out: PolicyProblem[]): void {
  const p = isObj(v) ? v : {};
  let n = 0;
  if (p.podSelector !== undefined && p.podSelector !== null) {
    n++;
    selectorProblems(p.podSelector, [...path, 'podSelector'], out);
  }
  if (p.namespaceSelector !== undefined && p.namespaceSelector !== null) {
    n++;
    selectorProblems(p.namespaceSelector, [...path, 'namespaceSelector'], out);
  }
  const hasIpBlock = p.ipBlock !== undefined && p.ipBlock !== null;
  if (hasIpBlock) {
    n++;
    ipBlockProblems(p.ipBlock, [...path, 'ipBlock'], out);
  }
  if (n === 0) out.push({ path, message: 'Required value: must specify a peer' });
  else if (n > 1 && hasIpBlock) out.push({ path, message: 'Forbidden: may not specify both ipBlock and another peer' });
}

/** Problems of a NetworkPolicy manifest (empty when the API server would accept it). */
export function validateNetworkPolicy(manifest: Record<string, unknown>): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const spec = isObj(manifest.spec) ? manifest.spec : {};
  selectorProblems(spec.podSelector, ['spec', 'podSelector'], out);
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    const rules = Array.isArray(spec[dir]) ? (spec[dir] as unknown[]) : [];
    rules.forEach((r, i) => {
      const rule = isObj(r) ? r : {};
      (Array.isArray(rule.ports) ? rule.ports : []).forEach((p, j) => portProblems(p, ['spec', dir, i, 'ports', j], out));
      (Array.isArray(rule[peers]) ? (rule[peers] as unknown[]) : []).forEach((p, j) => peerProblems(p, ['spec', dir, i, peers, j], out));
    });
  }
  const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  if (types.length > 2) out.push({ path: ['spec', 'policyTypes'], message: `Invalid value: ${JSON.stringify(types)}: may not specify more than two policyTypes` });
  else types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') out.push({ path: ['spec', 'policyTypes', i], message: `Unsupported value: ${q(t)}: supported values: "Ingress", "Egress"` });
  });
  return out;
}
