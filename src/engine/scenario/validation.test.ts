/**
 * What the API server refuses, refused in its words at the offending line: decoding
 * (encoding/json's UnmarshalTypeError, kubectl's TypeMeta check), apimachinery's label,
 * annotation and port-name rules, Service ports, Endpoints addresses, and the ranges a cluster
 * needs (kubeadm's 10th Service address). Each expectation quotes the upstream text.
 */
import { describe, expect, it } from 'vitest';
import { loadCluster } from '../load';
import { formatScenarioError, type ScenarioError } from '../model/source';
import { labelValue, portName, qualifiedName, quote } from './messages';
import { endpointIpProblems } from './endpointsValidation';

function errorsOf(text: string): ScenarioError[] {
  const r = loadCluster([{ name: 's.yaml', text }]);
  if (r.ok) throw new Error('expected the load to fail');
  return r.errors;
}
const lines = (text: string) => errorsOf(text).map(formatScenarioError);

const pod = (meta: string, spec = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${meta}spec:\n${spec}  containers:\n  - name: c\n    image: busybox\n`;
const deployment = (replicas: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers: [{name: c, image: nginx}]\n`;

describe('decoding: mistyped fields are refused with encoding/json\'s error, at their line', () => {
  it('kind: [Pod] is kubectl\'s "kind isn\'t string type" (no exception)', () => {
    expect(lines('apiVersion: v1\nkind: [Pod]\nmetadata: {name: a}\n')).toEqual(["s.yaml:2:1: error validating data: kind isn't string type"]);
    expect(lines('apiVersion: 1\nkind: Pod\n')).toEqual(["s.yaml:1:1: error validating data: apiVersion isn't string type"]);
    expect(lines('metadata: {name: a}\n')).toEqual(['s.yaml:1:1: error validating data: [apiVersion not set, kind not set]']);
  });

  it('name: [a], name: 12345 and namespace: [default] are not coerced', () => {
    expect(lines('apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a]\n  namespace: [default]\n')).toEqual([
      's.yaml:4:3: metadata.name: json: cannot unmarshal array into Go struct field ObjectMeta.metadata.name of type string',
      's.yaml:5:3: metadata.namespace: json: cannot unmarshal array into Go struct field ObjectMeta.metadata.namespace of type string',
    ]);
    expect(lines(pod('').replace('name: p', 'name: 12345'))[0]).toBe(
      's.yaml:4:3: metadata.name: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string',
    );
  });

  it('replicas is an int32: 3.5 and 2147483648 are decode errors, -1 a validation error', () => {
    expect(lines(deployment('3.5'))).toEqual(['s.yaml:6:3: Deployment/default/d: spec.replicas: json: cannot unmarshal number 3.5 into Go struct field DeploymentSpec.spec.replicas of type int32']);
    expect(lines(deployment('2147483648'))[0]).toContain('json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32');
    expect(lines(deployment('"3"'))[0]).toContain('json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    expect(lines(deployment('-1'))).toEqual(['s.yaml:6:3: Deployment/default/d: spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('nested struct and list fields name the innermost struct and the JSON path without indexes', () => {
    expect(lines(pod('', '  hostNetwork: "yes"\n'))[0]).toContain('spec.hostNetwork: json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool');
    expect(lines(pod('').replace('    image: busybox', '    image: busybox\n    ports:\n    - containerPort: "80"'))[0]).toContain(
      'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
    expect(lines(pod('', '  tolerations: {}\n'))[0]).toContain('json: cannot unmarshal object into Go struct field PodSpec.spec.tolerations of type []v1.Toleration');
    expect(lines(pod('  labels: {a: 1}\n'))[0]).toContain('json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string');
    expect(lines('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: [1]\n')[0]).toContain('json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec');
  });

  it('Cluster document fields too: clusterDomain: 7', () => {
    expect(lines('apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  clusterDomain: 7\n')).toEqual([
      's.yaml:5:3: Cluster/c: spec.clusterDomain: json: cannot unmarshal number into Go struct field ClusterSpec.spec.clusterDomain of type string',
    ]);
  });
});

describe('CRDs: a CiliumNetworkPolicy is checked by its OpenAPI schema, in apiextensions-apiserver\'s words', () => {
  it('an unquoted port is an integer where the CRD wants a string', () => {
    const cnp = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\nspec:\n  endpointSelector: {}\n  egress:\n  - toPorts: [{ports: [{port: 53}]}]\n    toCIDR: ["10.0.0.0/8", 5]\n';
    expect(lines(cnp)).toEqual([
      's.yaml:7:25: CiliumNetworkPolicy/default/x: spec.egress[0].toPorts[0].ports[0].port: Invalid value: "integer": spec.egress[0].toPorts[0].ports[0].port in body must be of type string: "integer"',
      's.yaml:8:28: CiliumNetworkPolicy/default/x: spec.egress[0].toCIDR[1]: Invalid value: "integer": spec.egress[0].toCIDR[1] in body must be of type string: "integer"',
    ]);
  });
});

describe('labels and annotations (apimachinery ValidateLabels / ValidateAnnotations)', () => {
  it('refuses HTML, long, ESC and NUL values and keys, printed with Go\'s %q', () => {
    const errs = lines(pod('  labels:\n    "<b>": "\\e[2J"\n    ok: "' + 'x'.repeat(10000) + '"\n    nul: "a\\0"\n'));
    expect(errs.some((e) => e.startsWith('s.yaml:6:5: Pod/default/p: metadata.labels: Invalid value: "<b>": name part must consist of alphanumeric characters'))).toBe(true);
    expect(errs.some((e) => e.includes('metadata.labels: Invalid value: "\\x1b[2J": a valid label must be an empty string'))).toBe(true);
    expect(errs.some((e) => e.startsWith('s.yaml:7:5:') && e.includes(': must be no more than 63 characters'))).toBe(true);
    expect(errs.some((e) => e.startsWith('s.yaml:8:5:') && e.includes('Invalid value: "a\\x00"'))).toBe(true);
    expect(errs.join('\n')).not.toMatch(/[\x00\x1b]/);
  });

  it('annotations: qualified-name keys (case-insensitive), 256 KiB in total', () => {
    expect(lines(pod('  annotations:\n    "a/b/c": x\n'))[0]).toContain("metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist of");
    expect(loadCluster([{ name: 's.yaml', text: pod('  annotations:\n    Example.COM/Key: x\n') }]).ok).toBe(true);
    expect(lines(pod('  labels:\n    Example.COM/Key: x\n'))[0]).toContain('metadata.labels: Invalid value: "Example.COM/Key": prefix part a lowercase RFC 1123 subdomain');
    expect(lines(pod('  annotations:\n    big: "' + 'x'.repeat(262142) + '"\n'))).toEqual(['s.yaml:5:3: Pod/default/p: metadata.annotations: Too long: must have at most 262144 bytes']);
  });

  it('the rules themselves', () => {
    expect(qualifiedName('example.com/MyName')).toEqual([]);
    expect(qualifiedName('/a')).toEqual(['prefix part must be non-empty']);
    expect(qualifiedName('a'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
    expect(labelValue('')).toEqual([]);
    expect(labelValue('my_value.1')).toEqual([]);
    expect(labelValue('-a')).toHaveLength(1);
    expect(portName('http')).toEqual([]);
    expect(portName('8080')).toEqual(['must contain at least one letter (a-z)']);
    expect(portName('-a--b-')).toEqual(['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
    expect(portName('abcdefghijklmnop')).toEqual(['must be no more than 15 characters']);
  });

  it('quote is strconv.Quote', () => {
    expect(quote('a"b\\c\n\t\x1b\x00\x7f\u0085\u00a0\u202eé😀')).toBe('"a\\"b\\\\c\\n\\t\\x1b\\x00\\x7f\\u0085\\u00a0\\u202eé😀"');
  });
});

describe('ports', () => {
  const svc = (ports: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector: {app: d}\n  ports:\n${ports}`;

  it('Service targetPort: a port number 1-65535 or an IANA_SVC_NAME; 0 and "" default to port', () => {
    const errs = lines(svc('  - {name: a, port: 80, targetPort: 70000}\n  - {name: b, port: 81, targetPort: -1}\n  - {name: c, port: 82, targetPort: "8080"}\n  - {name: d, port: 83, targetPort: ""}\n'));
    expect(errs).toEqual([
      's.yaml:8:25: Service/default/s: spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      's.yaml:9:25: Service/default/s: spec.ports[1].targetPort: Invalid value: -1: must be between 1 and 65535, inclusive',
      's.yaml:10:25: Service/default/s: spec.ports[2].targetPort: Invalid value: "8080": must contain at least one letter (a-z)',
    ]);
  });

  it('Service port names are DNS-1123 labels; container port names IANA_SVC_NAMEs', () => {
    expect(lines(svc('  - {name: "x\\ny", port: 80}\n  - {name: b, port: 81}\n'))[0]).toMatch(/^s\.yaml:8:6: Service\/default\/s: spec\.ports\[0\]\.name: Invalid value: "x\\ny": a lowercase RFC 1123 label/);
    expect(lines(pod('').replace('    image: busybox', '    image: busybox\n    ports:\n    - {containerPort: 80, name: "web\\nEOF"}'))).toEqual([
      's.yaml:10:27: Pod/default/p: spec.containers[0].ports[0].name: Invalid value: "web\\nEOF": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
  });
});

describe('what reaches resolv.conf and CoreDNS (validatePodDNSConfig, ValidateService externalName)', () => {
  it('refuses nameservers that are not IPs, bad search domains, unnamed options, unknown policies', () => {
    const errs = lines(pod('', '  dnsPolicy: Nope\n  dnsConfig:\n    nameservers: ["1.1.1.1\\nsearch evil"]\n    searches: ["svc.cluster.local.", "a b"]\n    options: [{value: "1"}]\n'));
    expect(errs).toEqual([
      's.yaml:6:3: Pod/default/p: spec.dnsPolicy: Unsupported value: "Nope": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"',
      's.yaml:8:19: Pod/default/p: spec.dnsConfig.nameservers[0]: Invalid value: "1.1.1.1\\nsearch evil": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      expect.stringMatching(/^s\.yaml:9:38: Pod\/default\/p: spec\.dnsConfig\.searches\[1\]: Invalid value: "a b": a lowercase RFC 1123 subdomain/),
      's.yaml:10:15: Pod/default/p: spec.dnsConfig.options[0]: Required value: Option.Name must not be empty',
    ]);
    expect(lines(pod('', '  dnsPolicy: None\n'))).toEqual(['s.yaml:5:1: Pod/default/p: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']);
  });

  it('an ExternalName is a DNS-1123 subdomain (a trailing dot allowed)', () => {
    const svc = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: ExternalName\n  externalName: "${name}"\n`;
    expect(loadCluster([{ name: 's.yaml', text: svc('example.com.') }]).ok).toBe(true);
    expect(lines(svc('a\\nb'))[0]).toMatch(/^s\.yaml:6:3: Service\/default\/s: spec\.externalName: Invalid value: "a\\nb": a lowercase RFC 1123 subdomain/);
  });
});

describe('tolerations and images (ValidateTolerations, validateContainerCommon)', () => {
  it('refuses what the scheduler could not read', () => {
    const errs = lines(pod('', '  tolerations:\n  - {operator: Equal}\n  - {key: k, operator: Maybe, effect: Sometimes}\n').replace('image: busybox', 'image: " busybox"'));
    expect(errs).toEqual([
      's.yaml:11:5: Pod/default/p: spec.containers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace',
      's.yaml:7:6: Pod/default/p: spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      's.yaml:8:14: Pod/default/p: spec.tolerations[1].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"',
      's.yaml:8:31: Pod/default/p: spec.tolerations[1].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });
});

describe('Endpoints and EndpointSlices (validateEndpointAddress, ValidateEndpointIP)', () => {
  it('refuses loopback, link-local, unspecified and malformed addresses', () => {
    const errs = lines('apiVersion: v1\nkind: Endpoints\nmetadata: {name: e}\nsubsets:\n- addresses:\n  - ip: 127.0.0.1\n  - ip: nope\n  ports: [{port: 80}]\n');
    expect(errs).toEqual([
      's.yaml:6:5: Endpoints/default/e: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      's.yaml:7:5: Endpoints/default/e: subsets[0].addresses[1].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      's.yaml:7:5: Endpoints/default/e: subsets[0].addresses[1].ip: Invalid value: "nope": must be a valid IP address',
    ]);
    expect(endpointIpProblems('10.0.0.1')).toEqual([]);
    expect(endpointIpProblems('0.0.0.0')).toEqual(['may not be unspecified (0.0.0.0)']);
    expect(endpointIpProblems('224.0.0.5')).toEqual(['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']);
    expect(endpointIpProblems('fe80::1')).toEqual(['may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
    expect(endpointIpProblems('::1')).toEqual(['may not be in the loopback range (127.0.0.0/8, ::1/128)']);
    expect(endpointIpProblems('2001:db8::1')).toEqual([]);
  });
});

describe('ranges: every refusal names a file and line', () => {
  const cluster = (spec: string) => `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n${spec}`;

  it('a node network at the top of the address space does not wrap to 0.0.0.x', () => {
    const errs = errorsOf(cluster('  nodeNetwork: 255.255.255.248/29\n'));
    expect(errs.map(formatScenarioError)[0]).toBe('s.yaml:5:3: Node/control-plane: status.addresses: no free address left in the node network 255.255.255.248/29 (nodes are numbered from .10)');
  });

  it('generated nodes and system Services point at the Cluster document range', () => {
    for (const spec of ['  nodeNetwork: 10.0.0.0/29\n', '  podCIDR: 10.244.0.0/23\n', '  serviceCIDR: 10.96.0.0/31\n']) {
      for (const e of errorsOf(cluster(spec))) expect(e.file === 's.yaml' && e.line === 5).toBe(true);
    }
    expect(lines(cluster('  serviceCIDR: 10.96.0.0/29\n'))).toEqual([
      's.yaml:5:3: Cluster/t: spec.serviceCIDR: Invalid value: "10.96.0.0/29": unable to get internal Kubernetes Service IP from the given service CIDR: can\'t generate IP with index 10 from subnet. subnet too small. subnet: "10.96.0.0/29"',
    ]);
  });
});
