/** networking.k8s.io/v1 Ingress and IngressClass as the router and kubectl read them. */

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface IngressBackendRef {
  service?: { name: string; port: { number?: number; name?: string } };
  resource?: { apiGroup?: string; kind: string; name: string };
}

export interface IngressPath {
  path: string;
  pathType: PathType;
  backend: IngressBackendRef;
}

export interface IngressRuleSpec {
  /** '' for a rule without host (it matches every host). */
  host: string;
  paths: IngressPath[];
}

export interface IngressInfo {
  namespace: string;
  name: string;
  /** spec.ingressClassName, else the legacy kubernetes.io/ingress.class annotation. */
  className?: string;
  defaultBackend?: IngressBackendRef;
  rules: IngressRuleSpec[];
  tls: { hosts: string[]; secretName?: string }[];
  manifest: Record<string, unknown>;
}

export interface IngressClassInfo {
  name: string;
  controller: string;
  isDefault: boolean;
}
