/**
 * ingress-nginx as its cloud install manifest creates it (kubernetes/ingress-nginx
 * deploy/static/provider/cloud/deploy.yaml, controller v1.11.3): namespace ingress-nginx, the
 * ConfigMap and Deployment `ingress-nginx-controller` (one replica, ports http 80, https 443,
 * webhook 8443), the LoadBalancer Service `ingress-nginx-controller` with externalTrafficPolicy
 * Local (so the cloud LB sends traffic only to the node running the controller, and nginx sees
 * the client address), the admission webhook's ClusterIP Service, and IngressClass `nginx`
 * (controller k8s.io/ingress-nginx). The admission Jobs, RBAC and webhook configuration are not
 * modelled: they carry no traffic.
 */
import type { ClusterConfig, ContainerSpec, ManifestRec, NamespaceRec, WorkloadRec } from '../model/cluster';
import { newMeta } from '../scenario/meta';
import type { PodTemplateDecl } from '../scenario/readManifests';

export const INGRESS_NGINX_NAMESPACE = 'ingress-nginx';
export const INGRESS_NGINX_NAME = 'ingress-nginx-controller';
export const INGRESS_NGINX_VERSION = '1.11.3';
export const INGRESS_NGINX_IMAGE = `registry.k8s.io/ingress-nginx/controller:v${INGRESS_NGINX_VERSION}`;
export const INGRESS_NGINX_CONTROLLER_CLASS = 'k8s.io/ingress-nginx';

const SELECTOR = { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' };
const LABELS = { ...SELECTOR, 'app.kubernetes.io/part-of': 'ingress-nginx', 'app.kubernetes.io/version': INGRESS_NGINX_VERSION };

/** Does the scenario get ingress-nginx? The Cluster option, or any Ingress in the input (`Kind/namespace/name` keys). */
export function wantsIngressNginx(config: ClusterConfig, objectKeys: Iterable<string>): boolean {
  if (config.ingressController === 'nginx') return true;
  if (config.ingressController === 'none') return false;
  for (const k of objectKeys) if (k.startsWith('Ingress/')) return true;
  return false;
}

export interface IngressNginxObjects {
  namespace: NamespaceRec;
  workload: { workload: WorkloadRec; template: PodTemplateDecl };
  objects: ManifestRec[];
}

function manifestRec(kind: string, apiVersion: string, name: string, namespace: string | undefined, body: Record<string, unknown>, labels = LABELS): ManifestRec {
  const meta = newMeta(kind, name, namespace, 0, { ...labels });
  return { kind, meta, manifest: { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), labels: { ...labels } }, ...body } };
}

export function ingressNginxObjects(present: Set<string>): IngressNginxObjects {
  const ns = INGRESS_NGINX_NAMESPACE;
  const container: ContainerSpec = {
    name: 'controller',
    image: INGRESS_NGINX_IMAGE,
    args: [
      '/nginx-ingress-controller',
      '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller',
      '--election-id=ingress-nginx-leader',
      `--controller-class=${INGRESS_NGINX_CONTROLLER_CLASS}`,
      '--ingress-class=nginx',
      '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller',
      '--validating-webhook=:8443',
      '--validating-webhook-certificate=/usr/local/certificates/cert',
      '--validating-webhook-key=/usr/local/certificates/key',
    ],
    ports: [
      { name: 'http', containerPort: 80, protocol: 'TCP' },
      { name: 'https', containerPort: 443, protocol: 'TCP' },
      { name: 'webhook', containerPort: 8443, protocol: 'TCP' },
    ],
  };
  const templateManifest = {
    metadata: { labels: { ...LABELS } },
    spec: {
      containers: [{ name: container.name, image: container.image, args: container.args, ports: container.ports }],
      dnsPolicy: 'ClusterFirst',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      serviceAccountName: 'ingress-nginx',
      terminationGracePeriodSeconds: 300,
    },
  };
  const selector = { matchLabels: { ...SELECTOR } };
  const meta = newMeta('Deployment', INGRESS_NGINX_NAME, ns, 0, { ...LABELS });
  const workload: WorkloadRec = {
    kind: 'Deployment',
    meta,
    replicas: 1,
    selector,
    template: templateManifest,
    manifest: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: INGRESS_NGINX_NAME, namespace: ns, labels: { ...LABELS } }, spec: { minReadySeconds: 0, replicas: 1, revisionHistoryLimit: 10, selector, template: templateManifest } },
  };
  const template: PodTemplateDecl = { labels: { ...LABELS }, annotations: {}, spec: { nodeName: '', hostNetwork: false, containers: [container], tolerations: [] } };

  const objects: ManifestRec[] = [];
  const add = (rec: ManifestRec) => {
    if (!present.has(`${rec.kind}/${rec.meta.namespace ?? ''}/${rec.meta.name}`)) objects.push(rec);
  };
  add(manifestRec('ConfigMap', 'v1', INGRESS_NGINX_NAME, ns, { data: { 'allow-snippet-annotations': 'false' } }));
  add(
    manifestRec('Service', 'v1', INGRESS_NGINX_NAME, ns, {
      spec: {
        externalTrafficPolicy: 'Local',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [
          { appProtocol: 'http', name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
          { appProtocol: 'https', name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' },
        ],
        selector: { ...SELECTOR },
        type: 'LoadBalancer',
      },
    }),
  );
  add(
    manifestRec('Service', 'v1', `${INGRESS_NGINX_NAME}-admission`, ns, {
      spec: { ports: [{ appProtocol: 'https', name: 'https-webhook', port: 443, targetPort: 'webhook' }], selector: { ...SELECTOR }, type: 'ClusterIP' },
    }),
  );
  add(manifestRec('IngressClass', 'networking.k8s.io/v1', 'nginx', undefined, { spec: { controller: INGRESS_NGINX_CONTROLLER_CLASS } }));
  return {
    namespace: { kind: 'Namespace', meta: newMeta('Namespace', ns, undefined, 0, { 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx', 'kubernetes.io/metadata.name': ns }) },
    workload: { workload, template },
    objects,
  };
}

/** Is this pod an ingress-nginx controller (it proxies HTTP to the Ingress backends)? */
export function isIngressNginxPod(pod: { containers: { image: string }[] }): boolean {
  return pod.containers.some((c) => /(^|\/)ingress-nginx\/controller(:|@|$)/.test(c.image));
}
