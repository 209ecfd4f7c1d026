/**
 * `kubectl get|describe networkpolicy` (short name netpol) and `kubectl delete networkpolicy`:
 * the items get.ts prints in every output format (kubectl's printer: NAME, POD-SELECTOR, AGE) and
 * the describe layout of k8s.io/kubectl/pkg/describe (describeNetworkPolicySpec,
 * printNetworkPolicySpecIngressFrom / EgressTo), including its fixed phrases.
 */
import type { Cluster, ManifestRec } from '../../model/cluster';
import { readSelector, formatSelector } from '../../model/labelSelector';
import { readNetworkPolicy } from '../../policy/parse';
import { DESCRIBE_TABS, tabwrite } from '../tabwriter';
import { age, createdAt } from '../time';
import { EPOCH_MS } from '../time';
import { fail, out, type Ctx, type Out } from '../types';
import type { Json } from './output';
import type { ObjectItem } from './services';

export const isNetpolResource = (w: string) => ['netpol', 'networkpolicy', 'networkpolicies', 'networkpolicies.networking.k8s.io'].includes(w.toLowerCase());

function policiesIn(cluster: Cluster, namespace: string | undefined): ManifestRec[] {
  const out: ManifestRec[] = [];
  for (const o of cluster.objects.values()) if (o.kind === 'NetworkPolicy' && (namespace === undefined || (o.meta.namespace ?? 'default') === namespace)) out.push(o);
  return out.sort((a, b) => (a.meta.namespace ?? '').localeCompare(b.meta.namespace ?? '') || (a.meta.name < b.meta.name ? -1 : a.meta.name > b.meta.name ? 1 : 0));
}

const specOf = (o: ManifestRec) => (o.manifest.spec ?? {}) as Record<string, unknown>;

function asJson(o: ManifestRec): Json {
  const p = readNetworkPolicy(o);
  const spec = { ...specOf(o), podSelector: specOf(o).podSelector ?? {}, policyTypes: p.types } as unknown as Json;
  const metadata: Record<string, Json> = { creationTimestamp: new Date(EPOCH_MS + createdAt(o.meta) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'), name: o.meta.name, namespace: o.meta.namespace ?? 'default', uid: o.meta.uid };
  if (Object.keys(o.meta.labels).length) metadata.labels = { ...o.meta.labels };
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec };
}

/** `kubectl get networkpolicies` items for get.ts: printNetworkPolicy's NAME, POD-SELECTOR, AGE (no wide columns). */
export function listNetpols(cluster: Cluster, namespace: string | null): ObjectItem[] {
  return policiesIn(cluster, namespace ?? undefined).map((o) => ({
    name: o.meta.name,
    namespace: o.meta.namespace ?? 'default',
    labels: o.meta.labels,
    meta: o.meta,
    json: () => asJson(o),
    cells: () => [o.meta.name, formatSelector(readSelector(specOf(o).podSelector)), age(o.meta, cluster.now)],
  }));
}

export const NETPOL_HEADERS = { head: ['NAME', 'POD-SELECTOR', 'AGE'], wide: [] as string[] };

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

function rulesText(rules: Obj[], dir: 'ingress' | 'egress', indent: string): string[] {
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  const Peer = dir === 'ingress' ? 'From' : 'To';
  if (!rules.length) return [`${indent}<none> (Selected pods are isolated for ${dir} connectivity)`];
  const l: string[] = [];
  rules.forEach((r, i) => {
    const ports = list(r.ports);
    if (!ports.length) l.push(`${indent}To Port: <any> (traffic allowed to all ports)`);
    for (const p of ports) l.push(`${indent}To Port: ${p.port === undefined ? '<nil>' : String(p.port)}${p.endPort !== undefined ? `-${String(p.endPort)}` : ''}/${String(p.protocol ?? 'TCP')}`);
    const peers = list(r[peersKey]);
    if (!peers.length) l.push(`${indent}${Peer}: <any> (traffic not restricted by ${dir === 'ingress' ? 'source' : 'destination'})`);
    for (const p of peers) {
      l.push(`${indent}${Peer}:`);
      if (p.podSelector && p.namespaceSelector) {
        l.push(`  ${indent}NamespaceSelector: ${formatSelector(readSelector(p.namespaceSelector))}`);
        l.push(`  ${indent}PodSelector: ${formatSelector(readSelector(p.podSelector))}`);
      } else if (p.podSelector) l.push(`  ${indent}PodSelector: ${formatSelector(readSelector(p.podSelector))}`);
      else if (p.namespaceSelector) l.push(`  ${indent}NamespaceSelector: ${formatSelector(readSelector(p.namespaceSelector))}`);
      else if (p.ipBlock) {
        const b = p.ipBlock as Obj;
        l.push(`  ${indent}IPBlock:`, `    ${indent}CIDR: ${String(b.cidr ?? '')}`, `    ${indent}Except: ${list(b.except).map(String).join(', ')}`);
      }
    }
    if (i !== rules.length - 1) l.push(`${indent}----------`);
  });
  return l;
}

function mapLines(title: string, m: Record<string, string>): string[] {
  const keys = Object.keys(m).sort();
  if (!keys.length) return [`${title}\t<none>`];
  return keys.map((k, i) => `${i === 0 ? title : ''}\t${k}=${m[k]}`);
}

/** Go's time.Time String(): `2024-01-01 00:05:00 +0000 UTC` (what "Created on:" prints). */
function goTime(seconds: number): string {
  return new Date(EPOCH_MS + seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' +0000 UTC');
}

export function describeNetpol(o: ManifestRec): string {
  const p = readNetworkPolicy(o);
  const spec = specOf(o);
  const head = [`Name:\t${o.meta.name}`, `Namespace:\t${o.meta.namespace ?? 'default'}`, `Created on:\t${goTime(createdAt(o.meta))}`, ...mapLines('Labels:', o.meta.labels), ...mapLines('Annotations:', o.meta.annotations)];
  const l = [tabwrite(head.join('\n') + '\n', DESCRIBE_TABS).trimEnd(), 'Spec:'];
  const sel = readSelector(spec.podSelector);
  l.push(`  PodSelector:     ${formatSelector(sel) === '<none>' ? '<none> (Allowing the specific traffic to all pods in this namespace)' : formatSelector(sel)}`);
  if (p.types.includes('Ingress')) l.push('  Allowing ingress traffic:', ...rulesText(list(spec.ingress), 'ingress', '    '));
  else l.push('  Not affecting ingress traffic');
  if (p.types.includes('Egress')) l.push('  Allowing egress traffic:', ...rulesText(list(spec.egress), 'egress', '    '));
  else l.push('  Not affecting egress traffic');
  l.push(`  Policy Types: ${p.types.join(', ')}`);
  return l.join('\n') + '\n';
}

export function describeNetpols(cluster: Cluster, names: string[], namespace: string, all: boolean): Out {
  const items = policiesIn(cluster, all ? undefined : namespace).filter((o) => !names.length || names.some((n) => o.meta.name.startsWith(n)));
  if (!items.length) return fail(names.length ? `Error from server (NotFound): networkpolicies.networking.k8s.io "${names[0]}" not found` : `No resources found in ${namespace} namespace.`);
  return out(items.map(describeNetpol).join('\n\n'));
}

interface ParsedArgs {
  positional: string[];
  flags: Record<string, string | true>;
}

/** `networkpolicy`, `netpol/NAME`, … as the first argument: the names it carries, or null when it is another resource. */
function netpolNames(positional: string[]): string[] | null {
  if (!positional.length) return null;
  if (positional[0].includes('/')) {
    if (!positional.every((t) => isNetpolResource(t.split('/')[0]))) return null;
    return positional.map((t) => t.split('/')[1]);
  }
  return isNetpolResource(positional[0]) ? positional.slice(1) : null;
}

/** kubectl describe/delete for NetworkPolicies (get lists them through get.ts); undefined when the command is about another resource. */
export function kubectlNetpol(verb: 'describe' | 'delete', p: ParsedArgs, ctx: Ctx): Out | undefined {
  const names = netpolNames(p.positional);
  if (names === null) return undefined;
  const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);
  const namespace = str(p.flags.namespace) ?? 'default';
  const all = p.flags['all-namespaces'] === true;
  const cluster = ctx.session.cluster;
  if (verb === 'describe') return describeNetpols(cluster, names, namespace, all);
  if (!names.length) return fail('error: resource(s) were provided, but no name was specified');
  let stdout = '';
  let stderr = '';
  let status = 0;
  for (const name of names) {
    const r = ctx.session.options.ops?.deleteObject?.(ctx.session.cluster, 'NetworkPolicy', namespace, name);
    if (!r) return fail('error: this simulator session cannot delete objects');
    if (!r.ok) {
      stderr += `${r.error.replace(/^.*?(Error from server)/, '$1')}\n`;
      status = 1;
      continue;
    }
    ctx.session.cluster = r.cluster;
    stdout += `networkpolicy.networking.k8s.io "${name}" deleted\n`;
  }
  return out(stdout, stderr, status);
}
