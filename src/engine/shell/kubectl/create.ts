/**
 * `kubectl create namespace|deployment|service|configmap|secret` and `create -f`: kubectl builds
 * the object on the client (the generators of k8s.io/kubectl/pkg/cmd/create: create_namespace.go,
 * create_deployment.go, create_service.go, create_configmap.go, create_secret.go) and POSTs it;
 * here the manifest goes through the engine's apply, so validation and allocation are the API
 * server's. `--dry-run=client -o yaml|json` prints the object instead. An object that exists is
 * the API server's AlreadyExists.
 */
import type { Cluster } from '../../model/cluster';
import { fail, out, type Ctx, type Out } from '../types';
import { apiError, namespaceOf, str, type Parsed } from './args';
import { cmdApply } from './apply';
import { toJson, toYaml, type Json } from './output';

type Obj = { [k: string]: Json };

/** Apply one generated object through the engine; the error as the engine words it. */
export function createObject(ctx: Ctx, manifest: Obj, file: string): { ok: true } | Out {
  const apply = ctx.session.options.ops?.applyManifests?.(ctx.session.cluster, JSON.stringify(manifest), file);
  if (!apply) return fail('error: this simulator session cannot create objects');
  if (!apply.ok) return fail(apiError(apply.error));
  ctx.session.cluster = apply.cluster;
  return { ok: true };
}

const see = (sub: string) => `\nSee 'kubectl create ${sub} -h' for help and examples`;

/** NAME is required (cobra's ExactArgs message as kubectl's create subcommands print it). */
const nameRequired = (sub: string) => fail(`error: exactly one NAME is required, got 0${see(sub)}`);

function exists(cluster: Cluster, kind: string, ns: string, name: string): boolean {
  if (kind === 'Namespace') return cluster.namespaces.has(name);
  if (kind === 'Deployment') return cluster.workloads.has(`Deployment/${ns}/${name}`);
  return cluster.objects.has(`${kind}/${ns}/${name}`);
}

const RESOURCE: Record<string, string> = { Namespace: 'namespaces', Deployment: 'deployments.apps', Service: 'services', ConfigMap: 'configmaps', Secret: 'secrets' };
const PRINTED: Record<string, string> = { Namespace: 'namespace', Deployment: 'deployment.apps', Service: 'service', ConfigMap: 'configmap', Secret: 'secret' };

const GROUP_KIND: Record<string, string> = { Namespace: 'Namespace', Deployment: 'Deployment.apps', Service: 'Service', ConfigMap: 'ConfigMap', Secret: 'Secret' };

/**
 * The API server's error as each generator wraps it. `err` is the StatusError's text
 * (`deployments.apps "x" already exists`, `Deployment.apps "x" is invalid: …`); reason is its
 * reason. create_namespace.go returns it as is (kubectl prints `Error from server (Reason): …`, or
 * `The Namespace "x" is invalid: …`), create_deployment.go wraps it in "failed to create
 * deployment: %v", create_service.go "failed to create %s service: %v", create_configmap.go
 * "failed to create configmap: %v", create_secret.go "failed to create secret %v" (no colon).
 */
function createError(kind: string, serviceType: string | undefined, reason: 'AlreadyExists' | 'Invalid', err: string): string {
  switch (kind) {
    case 'Namespace':
      return reason === 'Invalid' ? `The ${err}` : `Error from server (${reason}): ${err}`;
    case 'Deployment':
      return `error: failed to create deployment: ${err}`;
    case 'Service':
      return `error: failed to create ${serviceType ?? 'ClusterIP'} service: ${err}`;
    case 'ConfigMap':
      return `error: failed to create configmap: ${err}`;
    default:
      return `error: failed to create secret ${err}`;
  }
}

/** Print (dry run) or create the object; `kind/name created` as kubectl's PrintFlags write it. */
function finish(p: Parsed, ctx: Ctx, obj: Obj, sub: string): Out {
  const meta = obj.metadata as Obj;
  const kind = obj.kind as string;
  const name = meta.name as string;
  const ns = (meta.namespace as string | undefined) ?? '';
  const dry = str(p.flags['dry-run']) ?? (p.flags['dry-run'] === true ? 'client' : undefined);
  const o = str(p.flags.output);
  if (dry === 'client') {
    // The client-side object: no namespace unless -n was given, creationTimestamp null, empty status.
    if (o === 'yaml') return out(toYaml(obj));
    if (o === 'json') return out(toJson(obj));
    if (o === 'name') return out(`${PRINTED[kind]}/${name}\n`);
    return out(`${PRINTED[kind]}/${name} created (dry run)\n`);
  }
  if (dry !== undefined && dry !== 'none' && dry !== 'server') return fail(`error: Invalid dry-run value (${dry}). Must be "none", "server", or "client".`);
  const serviceType = (obj.spec as Obj | undefined)?.type as string | undefined;
  if (exists(ctx.session.cluster, kind, ns || 'default', name)) return fail(createError(kind, serviceType, 'AlreadyExists', `${RESOURCE[kind]} "${name}" already exists`));
  const sent: Obj = { ...obj, metadata: { ...meta, ...(kind !== 'Namespace' && !ns ? { namespace: namespaceOf(p) } : {}) } };
  if (dry === 'server') return out(`${PRINTED[kind]}/${name} created (server dry run)\n`);
  const r = createObject(ctx, sent, `kubectl-create-${sub.replace(/ /g, '-')}`);
  if ('status' in r) {
    const invalid = /^The \w+ "[^"]*" is invalid: /.exec(r.stderr);
    if (!invalid) return r;
    const rest = r.stderr.slice(invalid[0].length).replace(/\n$/, '');
    return fail(createError(kind, serviceType, 'Invalid', `${GROUP_KIND[kind]} "${name}" is invalid: ${rest}`));
  }
  if (o === 'name') return out(`${PRINTED[kind]}/${name}\n`);
  return out(`${PRINTED[kind]}/${name} created\n`);
}

/** metadata as kubectl's generators write it: the namespace only when -n was given. */
function metadata(p: Parsed, name: string, labels?: Record<string, string>): Obj {
  const m: Obj = { creationTimestamp: null };
  if (labels) m.labels = labels;
  m.name = name;
  const ns = str(p.flags.namespace);
  if (ns) m.namespace = ns;
  return m;
}

function createNamespace(p: Parsed, ctx: Ctx): Out {
  const name = p.positional[1];
  if (!name) return nameRequired('namespace');
  const meta: Obj = { creationTimestamp: null, name };
  return finish(p, ctx, { apiVersion: 'v1', kind: 'Namespace', metadata: meta, spec: {}, status: {} }, 'namespace');
}

/** create_deployment.go buildPodSpec: the container is named after the image (path, tag and digest dropped). */
export function containerNameOf(image: string): string {
  let name = image.split('/').pop() ?? image;
  if (name.includes(':')) name = name.split(':')[0];
  if (name.includes('@')) name = name.split('@')[0];
  // sanitizeAndUniquify: '_' and '.' are not allowed in a DNS-1123 label.
  return name.replace(/[_.]/g, '-');
}

function createDeployment(p: Parsed, ctx: Ctx): Out {
  const name = p.positional[1];
  if (!name) return nameRequired('deployment');
  const images = p.all.image ?? [];
  if (!images.length) return fail(`error: required flag(s) "image" not set`);
  if (images.length > 1 && p.command.length) return fail(`error: cannot specify multiple --image options and command`);
  const replicas = str(p.flags.replicas) ?? '1';
  if (!/^-?\d+$/.test(replicas)) return fail(`error: invalid argument "${replicas}" for "-r, --replicas" flag: strconv.ParseInt: parsing "${replicas}": invalid syntax${see('deployment')}`);
  const port = str(p.flags.port);
  if (port !== undefined && !/^-?\d+$/.test(port)) return fail(`error: invalid argument "${port}" for "--port" flag: strconv.ParseInt: parsing "${port}": invalid syntax${see('deployment')}`);
  const used = new Set<string>();
  const containers = images.map((image): Json => {
    let cname = containerNameOf(image);
    // Two images with the same name get `-<n>` suffixes in kubectl; keep them distinct the same way.
    for (let i = 1; used.has(cname); i++) cname = `${containerNameOf(image)}-${i}`;
    used.add(cname);
    const c: Obj = { image, name: cname };
    if (p.command.length) c.command = p.command;
    if (port !== undefined && Number(port) > -1) c.ports = [{ containerPort: Number(port) }];
    c.resources = {};
    return c;
  });
  const labels = { app: name };
  const obj: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(p, name, labels),
    spec: {
      replicas: Number(replicas),
      selector: { matchLabels: labels },
      strategy: {},
      template: { metadata: { creationTimestamp: null, labels }, spec: { containers } },
    },
    status: {},
  };
  return finish(p, ctx, obj, 'deployment');
}

/** create_service.go parsePorts: `80` or `80:8080` (a named target port is a string). */
function servicePorts(specs: string[], nodePort: number): Json[] | string {
  const ports: Json[] = [];
  for (const s of specs) {
    const [a, b] = s.split(':');
    if (!/^\d+$/.test(a)) return `error: strconv.Atoi: parsing "${a}": invalid syntax`;
    const port = Number(a);
    const target: Json = b === undefined ? port : /^\d+$/.test(b) ? Number(b) : b;
    const sp: Obj = { name: s.replace(/:/g, '-'), port, protocol: 'TCP', targetPort: target };
    if (nodePort > 0) sp.nodePort = nodePort;
    ports.push(sp);
  }
  return ports;
}

const SERVICE_TYPES: Record<string, string> = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', externalname: 'ExternalName' };

function createService(p: Parsed, ctx: Ctx): Out {
  const typeWord = p.positional[1];
  const type = typeWord ? SERVICE_TYPES[typeWord] : undefined;
  if (!type) {
    return fail(
      `Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n\nUsage:\n  kubectl create service [flags] [options]\n\nUse "kubectl create service <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).`,
    );
  }
  const sub = `service ${typeWord}`;
  const name = p.positional[2];
  if (!name) return nameRequired(sub);
  const tcp = p.all.tcp ?? [];
  const spec: Obj = {};
  if (type === 'ExternalName') {
    const ext = str(p.flags['external-name']);
    if (!ext) return fail(`error: required flag(s) "external-name" not set`);
    spec.externalName = ext;
  } else if (!tcp.length && str(p.flags.clusterip) !== 'None') return fail(`error: at least one tcp port specifier must be provided${see(sub)}`);
  const nodePort = Number(str(p.flags['node-port']) ?? 0);
  const ports = servicePorts(tcp, type === 'NodePort' ? nodePort : 0);
  if (typeof ports === 'string') return fail(ports);
  if (ports.length) spec.ports = ports;
  spec.selector = { app: name };
  const clusterIP = str(p.flags.clusterip);
  if (clusterIP !== undefined) spec.clusterIP = clusterIP;
  spec.type = type;
  return finish(p, ctx, { apiVersion: 'v1', kind: 'Service', metadata: metadata(p, name, { app: name }), spec, status: { loadBalancer: {} } }, sub);
}

/** `--from-literal key=value` pairs (create_configmap.go handleConfigMapFromLiteralSources). */
function literals(p: Parsed, sub: string): Record<string, string> | Out {
  const data: Record<string, string> = {};
  for (const kv of p.all['from-literal'] ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) return fail(`error: invalid literal source ${kv}, expected key=value${see(sub)}`);
    const key = kv.slice(0, eq);
    if (key in data) return fail(`error: cannot add key "${key}", another key by that name already exists in Data for ${sub === 'configmap' ? 'ConfigMap' : 'Secret'} "${p.positional[sub === 'configmap' ? 1 : 2]}"`);
    data[key] = kv.slice(eq + 1);
  }
  for (const f of p.all['from-file'] ?? []) return fail(`error: error reading ${f}: no such file or directory`);
  return data;
}

function createConfigMap(p: Parsed, ctx: Ctx): Out {
  const name = p.positional[1];
  if (!name) return nameRequired('configmap');
  const data = literals(p, 'configmap');
  if ('status' in data && typeof data.status === 'number') return data as Out;
  const obj: Obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(p, name) };
  if (Object.keys(data).length) obj.data = data as Record<string, string>;
  return finish(p, ctx, obj, 'configmap');
}

/** Standard base64 of a UTF-8 string (what a Secret's data holds). */
function base64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let r = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    r += chars[(n >> 18) & 63] + chars[(n >> 12) & 63] + (i + 1 < bytes.length ? chars[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? chars[n & 63] : '=');
  }
  return r;
}

function createSecret(p: Parsed, ctx: Ctx): Out {
  if (p.positional[1] !== 'generic') {
    return fail(
      `Create a secret with specified type.\n\n A docker-registry type secret is for accessing a container registry.\n\n A generic type secret indicate an Opaque secret type.\n\n A tls type secret holds TLS certificate and its associated key.\n\nAvailable Commands:\n  docker-registry   Create a secret for use with a Docker registry\n  generic           Create a secret from a local file, directory, or literal value\n  tls               Create a TLS secret\n\nUsage:\n  kubectl create secret (docker-registry | generic | tls) [options]\n\nUse "kubectl create secret <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).`,
    );
  }
  const name = p.positional[2];
  if (!name) return nameRequired('secret generic');
  const data = literals(p, 'secret generic');
  if ('status' in data && typeof data.status === 'number') return data as Out;
  const enc: Record<string, string> = {};
  for (const [k, v] of Object.entries(data as Record<string, string>)) enc[k] = base64(v);
  const obj: Obj = { apiVersion: 'v1', kind: 'Secret', metadata: metadata(p, name) };
  if (Object.keys(enc).length) obj.data = enc;
  obj.type = str(p.flags.type) ?? 'Opaque';
  return finish(p, ctx, obj, 'secret');
}

const SUBCOMMANDS: Record<string, (p: Parsed, ctx: Ctx) => Out> = {
  namespace: createNamespace,
  ns: createNamespace,
  deployment: createDeployment,
  deploy: createDeployment,
  service: createService,
  svc: createService,
  configmap: createConfigMap,
  cm: createConfigMap,
  secret: createSecret,
};

export function cmdCreate(p: Parsed, ctx: Ctx): Out {
  if (str(p.flags.filename) !== undefined) return cmdApply(p, ctx, 'create');
  const sub = p.positional[0];
  const run = sub !== undefined && Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
  if (!run) {
    if (sub === undefined) return fail("error: must specify one of -f and -k\n\nSee 'kubectl create -h' for help and examples");
    // create.go ValidateArgs: `create` itself takes no arguments besides -f.
    return fail(`error: Unexpected args: [${p.positional.join(' ')}]\nSee 'kubectl create -h' for help and examples`);
  }
  return run(p, ctx);
}
