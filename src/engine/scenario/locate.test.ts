/**
 * Differential test: the positions below were recorded from the previous implementation
 * (eemeli/yaml's parseAllDocuments + LineCounter) on every path of these manifests, plus a
 * missing field and an out-of-range index under each node, and must not change.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locate } from './locate';

/** Manifests in the shapes people write and kubectl prints; every path in them is checked. */
const deployment = `# web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop   # trailing comment
  labels:
    app.kubernetes.io/name: web
    "app.kubernetes.io/part-of": 'shop'
    tier: frontend

spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
    spec:
      nodeSelector:
        kubernetes.io/os: linux
      containers:
        - name: nginx
          image: nginx:1.27
          command:
            - /bin/sh
            - -c
            - |
              echo hello
              exec nginx -g 'daemon off;'
          ports:
            - containerPort: 80
              name: http
              protocol: TCP
            - {containerPort: 443, name: https}
          env:
          - name: MODE
            value: >
              folded text
              continues
          - name: EMPTY
            value:
          resources:
            limits: {cpu: "500m", memory: 128Mi}
        -   name: sidecar
            image: busybox
            args: ["sleep", "3600"]
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
`;

const multi = `---
# first object
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 30080
  - port: 443
    targetPort: 8443
---

apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-frontend
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: ingress
      podSelector: {}
    - ipBlock:
        cidr: 10.0.0.0/8
        except:
        - 10.1.0.0/16
    ports:
    - protocol: TCP
      port: 80
  egress:
  - to:
    - podSelector:
        matchLabels: {app: db}
    ports: [{protocol: TCP, port: 5432}]
--- # a comment on the separator
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data:
  key: value
  80: numeric key
  true: bool key
  "quoted key": x
...
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
`;

const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata:
      name: a
      namespace: default
    spec:
      containers:
      - name: c
        image: busybox
  - apiVersion: v1
    kind: Pod
    metadata: {name: b, namespace: default}
    spec:
      nodeName: worker
      containers: [{name: c, image: busybox, ports: [{containerPort: 8080}]}]
metadata:
  resourceVersion: ""
`;

const flow = `{"apiVersion": "v1", "kind": "Pod",
 "metadata": {"name": "json-pod", "labels": {"app": "x"}},
 "spec": {"containers": [
   {"name": "a", "image": "busybox", "ports": [{"containerPort": 80}, {"containerPort": 81}]},
   {"name": "b",
    "image": "busybox"}
 ]}}
---
kind: Pod
apiVersion: v1
metadata:
  name: flowy
  labels:
    {app: flowy, tier: "be"}
spec:
  containers:
    [{name: a, image: busybox}, {name: b, image: busybox}]
  dnsConfig:
    nameservers: [ 1.1.1.1 ,
      8.8.8.8 ]
    searches:
      - a.example
  hostAliases: [ {ip: 10.0.0.1, hostnames: [foo, bar]} ]
  extra: [a: 1, b, c: {d: 2}]
  empty: {}
  emptySeq: []
`;

const anchors = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: anchored
  labels: &labels
    app: anchored
    tier: be
spec:
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels:
        <<: *labels
        extra: yes
    spec:
      containers:
      - &main
        name: main
        image: busybox
        resources: &res {limits: {cpu: 1}}
      - <<: *main
        name: copy
        resources: *res
      - &third name: third
        image: busybox
      - !!map
        name: tagged
        image: !!str busybox
`;

const odd = `# comment only at the top

# another
apiVersion: v1   
kind: Pod
metadata:
    name: odd
    annotations:
        a: 'it''s'
        b: "line\\nbreak"
        c: plain text, no colon
        ? explicit
        : value
        d: |+
          kept

        e: x
spec:
    containers:
    -
      name: on-next-line
      image: busybox
    - name: second
      image: busybox
    -     name: wide
          image: busybox
    restartPolicy: Never
`;

const nested = `- - a
  - b
- - c
- key: v
  list:
  - x
  - y
`;

const crlf = deployment.replace(/\n/g, '\r\n');
const bom = '\uFEFF' + 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bom\n';

const FIXTURES = [
  { name: 'deployment.yaml', text: deployment },
  { name: 'multi.yaml', text: multi },
  { name: 'list.yaml', text: list },
  { name: 'flow.yaml', text: flow },
  { name: 'anchors.yaml', text: anchors },
  { name: 'odd.yaml', text: odd },
  { name: 'nested.yaml', text: nested },
  { name: 'crlf.yaml', text: crlf },
  { name: 'bom.yaml', text: bom },
];

const DUMP = { name: 'kubectl-dump.yaml', text: readFileSync(join(__dirname, '__fixtures__/kubectl-dump.yaml'), 'utf8') };
const FILES = [...FIXTURES, DUMP];

/** file -> [document, path, line, column]; the dump is sampled (every 9th path). */
type Row = [number, (string | number)[], number, number];
const EXPECTED: Record<string, Row[]> = {
  "deployment.yaml": [
    [0,[],2,1],
    [0,['apiVersion'],2,1],
    [0,['kind'],3,1],
    [0,['metadata'],4,1],
    [0,['metadata','name'],5,3],
    [0,['metadata','namespace'],6,3],
    [0,['metadata','labels'],7,3],
    [0,['metadata','labels','app.kubernetes.io/name'],8,5],
    [0,['metadata','labels','app.kubernetes.io/part-of'],9,5],
    [0,['metadata','labels','tier'],10,5],
    [0,['metadata','labels','missingField'],7,3],
    [0,['metadata','labels','missingField',0],7,3],
    [0,['metadata','missingField'],4,1],
    [0,['metadata','missingField',0],4,1],
    [0,['spec'],12,1],
    [0,['spec','replicas'],13,3],
    [0,['spec','selector'],14,3],
    [0,['spec','selector','matchLabels'],15,5],
    [0,['spec','selector','matchLabels','app'],15,19],
    [0,['spec','selector','matchLabels','missingField'],15,5],
    [0,['spec','selector','matchLabels','missingField',0],15,5],
    [0,['spec','selector','missingField'],14,3],
    [0,['spec','selector','missingField',0],14,3],
    [0,['spec','template'],16,3],
    [0,['spec','template','metadata'],17,5],
    [0,['spec','template','metadata','labels'],18,7],
    [0,['spec','template','metadata','labels','app'],19,9],
    [0,['spec','template','metadata','labels','missingField'],18,7],
    [0,['spec','template','metadata','labels','missingField',0],18,7],
    [0,['spec','template','metadata','missingField'],17,5],
    [0,['spec','template','metadata','missingField',0],17,5],
    [0,['spec','template','spec'],20,5],
    [0,['spec','template','spec','nodeSelector'],21,7],
    [0,['spec','template','spec','nodeSelector','kubernetes.io/os'],22,9],
    [0,['spec','template','spec','nodeSelector','missingField'],21,7],
    [0,['spec','template','spec','nodeSelector','missingField',0],21,7],
    [0,['spec','template','spec','containers'],23,7],
    [0,['spec','template','spec','containers',0],24,11],
    [0,['spec','template','spec','containers',0,'name'],24,11],
    [0,['spec','template','spec','containers',0,'image'],25,11],
    [0,['spec','template','spec','containers',0,'command'],26,11],
    [0,['spec','template','spec','containers',0,'command',0],27,15],
    [0,['spec','template','spec','containers',0,'command',1],28,15],
    [0,['spec','template','spec','containers',0,'command',2],29,15],
    [0,['spec','template','spec','containers',0,'command',3],26,11],
    [0,['spec','template','spec','containers',0,'ports'],32,11],
    [0,['spec','template','spec','containers',0,'ports',0],33,15],
    [0,['spec','template','spec','containers',0,'ports',0,'containerPort'],33,15],
    [0,['spec','template','spec','containers',0,'ports',0,'name'],34,15],
    [0,['spec','template','spec','containers',0,'ports',0,'protocol'],35,15],
    [0,['spec','template','spec','containers',0,'ports',0,'missingField'],33,15],
    [0,['spec','template','spec','containers',0,'ports',0,'missingField',0],33,15],
    [0,['spec','template','spec','containers',0,'ports',1],36,15],
    [0,['spec','template','spec','containers',0,'ports',1,'containerPort'],36,16],
    [0,['spec','template','spec','containers',0,'ports',1,'name'],36,36],
    [0,['spec','template','spec','containers',0,'ports',1,'missingField'],36,15],
    [0,['spec','template','spec','containers',0,'ports',1,'missingField',0],36,15],
    [0,['spec','template','spec','containers',0,'ports',2],32,11],
    [0,['spec','template','spec','containers',0,'env'],37,11],
    [0,['spec','template','spec','containers',0,'env',0],38,13],
    [0,['spec','template','spec','containers',0,'env',0,'name'],38,13],
    [0,['spec','template','spec','containers',0,'env',0,'value'],39,13],
    [0,['spec','template','spec','containers',0,'env',0,'missingField'],38,13],
    [0,['spec','template','spec','containers',0,'env',0,'missingField',0],38,13],
    [0,['spec','template','spec','containers',0,'env',1],42,13],
    [0,['spec','template','spec','containers',0,'env',1,'name'],42,13],
    [0,['spec','template','spec','containers',0,'env',1,'value'],43,13],
    [0,['spec','template','spec','containers',0,'env',1,'missingField'],42,13],
    [0,['spec','template','spec','containers',0,'env',1,'missingField',0],42,13],
    [0,['spec','template','spec','containers',0,'env',2],37,11],
    [0,['spec','template','spec','containers',0,'resources'],44,11],
    [0,['spec','template','spec','containers',0,'resources','limits'],45,13],
    [0,['spec','template','spec','containers',0,'resources','limits','cpu'],45,22],
    [0,['spec','template','spec','containers',0,'resources','limits','memory'],45,35],
    [0,['spec','template','spec','containers',0,'resources','limits','missingField'],45,13],
    [0,['spec','template','spec','containers',0,'resources','limits','missingField',0],45,13],
    [0,['spec','template','spec','containers',0,'resources','missingField'],44,11],
    [0,['spec','template','spec','containers',0,'resources','missingField',0],44,11],
    [0,['spec','template','spec','containers',0,'missingField'],24,11],
    [0,['spec','template','spec','containers',0,'missingField',0],24,11],
    [0,['spec','template','spec','containers',1],46,13],
    [0,['spec','template','spec','containers',1,'name'],46,13],
    [0,['spec','template','spec','containers',1,'image'],47,13],
    [0,['spec','template','spec','containers',1,'args'],48,13],
    [0,['spec','template','spec','containers',1,'args',0],48,20],
    [0,['spec','template','spec','containers',1,'args',1],48,29],
    [0,['spec','template','spec','containers',1,'args',2],48,13],
    [0,['spec','template','spec','containers',1,'missingField'],46,13],
    [0,['spec','template','spec','containers',1,'missingField',0],46,13],
    [0,['spec','template','spec','containers',2],23,7],
    [0,['spec','template','spec','tolerations'],49,7],
    [0,['spec','template','spec','tolerations',0],50,9],
    [0,['spec','template','spec','tolerations',0,'key'],50,9],
    [0,['spec','template','spec','tolerations',0,'operator'],51,9],
    [0,['spec','template','spec','tolerations',0,'effect'],52,9],
    [0,['spec','template','spec','tolerations',0,'missingField'],50,9],
    [0,['spec','template','spec','tolerations',0,'missingField',0],50,9],
    [0,['spec','template','spec','tolerations',1],49,7],
    [0,['spec','template','spec','missingField'],20,5],
    [0,['spec','template','spec','missingField',0],20,5],
    [0,['spec','template','missingField'],16,3],
    [0,['spec','template','missingField',0],16,3],
    [0,['spec','missingField'],12,1],
    [0,['spec','missingField',0],12,1],
    [0,['missingField'],2,1],
    [0,['missingField',0],2,1],
  ],
  "multi.yaml": [
    [0,[],3,1],
    [0,['apiVersion'],3,1],
    [0,['kind'],4,1],
    [0,['metadata'],5,1],
    [0,['metadata','name'],6,3],
    [0,['metadata','namespace'],7,3],
    [0,['metadata','missingField'],5,1],
    [0,['metadata','missingField',0],5,1],
    [0,['spec'],8,1],
    [0,['spec','type'],9,3],
    [0,['spec','selector'],10,3],
    [0,['spec','selector','app'],11,5],
    [0,['spec','selector','missingField'],10,3],
    [0,['spec','selector','missingField',0],10,3],
    [0,['spec','ports'],12,3],
    [0,['spec','ports',0],13,5],
    [0,['spec','ports',0,'name'],13,5],
    [0,['spec','ports',0,'port'],14,5],
    [0,['spec','ports',0,'targetPort'],15,5],
    [0,['spec','ports',0,'nodePort'],16,5],
    [0,['spec','ports',0,'missingField'],13,5],
    [0,['spec','ports',0,'missingField',0],13,5],
    [0,['spec','ports',1],17,5],
    [0,['spec','ports',1,'port'],17,5],
    [0,['spec','ports',1,'targetPort'],18,5],
    [0,['spec','ports',1,'missingField'],17,5],
    [0,['spec','ports',1,'missingField',0],17,5],
    [0,['spec','ports',2],12,3],
    [0,['spec','missingField'],8,1],
    [0,['spec','missingField',0],8,1],
    [0,['missingField'],3,1],
    [0,['missingField',0],3,1],
    [1,[],21,1],
    [1,['apiVersion'],21,1],
    [1,['kind'],22,1],
    [1,['metadata'],23,1],
    [1,['metadata','name'],24,3],
    [1,['metadata','missingField'],23,1],
    [1,['metadata','missingField',0],23,1],
    [1,['spec'],25,1],
    [1,['spec','podSelector'],26,3],
    [1,['spec','podSelector','matchLabels'],27,5],
    [1,['spec','podSelector','matchLabels','app'],28,7],
    [1,['spec','podSelector','matchLabels','missingField'],27,5],
    [1,['spec','podSelector','matchLabels','missingField',0],27,5],
    [1,['spec','podSelector','missingField'],26,3],
    [1,['spec','podSelector','missingField',0],26,3],
    [1,['spec','policyTypes'],29,3],
    [1,['spec','policyTypes',0],29,17],
    [1,['spec','policyTypes',1],29,26],
    [1,['spec','policyTypes',2],29,3],
    [1,['spec','ingress'],30,3],
    [1,['spec','ingress',0],31,5],
    [1,['spec','ingress',0,'from'],31,5],
    [1,['spec','ingress',0,'from',0],32,7],
    [1,['spec','ingress',0,'from',0,'namespaceSelector'],32,7],
    [1,['spec','ingress',0,'from',0,'namespaceSelector','matchLabels'],33,9],
    [1,['spec','ingress',0,'from',0,'namespaceSelector','matchLabels','kubernetes.io/metadata.name'],34,11],
    [1,['spec','ingress',0,'from',0,'namespaceSelector','matchLabels','missingField'],33,9],
    [1,['spec','ingress',0,'from',0,'namespaceSelector','matchLabels','missingField',0],33,9],
    [1,['spec','ingress',0,'from',0,'namespaceSelector','missingField'],32,7],
    [1,['spec','ingress',0,'from',0,'namespaceSelector','missingField',0],32,7],
    [1,['spec','ingress',0,'from',0,'podSelector'],35,7],
    [1,['spec','ingress',0,'from',0,'podSelector','missingField'],35,7],
    [1,['spec','ingress',0,'from',0,'podSelector','missingField',0],35,7],
    [1,['spec','ingress',0,'from',0,'missingField'],32,7],
    [1,['spec','ingress',0,'from',0,'missingField',0],32,7],
    [1,['spec','ingress',0,'from',1],36,7],
    [1,['spec','ingress',0,'from',1,'ipBlock'],36,7],
    [1,['spec','ingress',0,'from',1,'ipBlock','cidr'],37,9],
    [1,['spec','ingress',0,'from',1,'ipBlock','except'],38,9],
    [1,['spec','ingress',0,'from',1,'ipBlock','except',0],39,11],
    [1,['spec','ingress',0,'from',1,'ipBlock','except',1],38,9],
    [1,['spec','ingress',0,'from',1,'ipBlock','missingField'],36,7],
    [1,['spec','ingress',0,'from',1,'ipBlock','missingField',0],36,7],
    [1,['spec','ingress',0,'from',1,'missingField'],36,7],
    [1,['spec','ingress',0,'from',1,'missingField',0],36,7],
    [1,['spec','ingress',0,'from',2],31,5],
    [1,['spec','ingress',0,'ports'],40,5],
    [1,['spec','ingress',0,'ports',0],41,7],
    [1,['spec','ingress',0,'ports',0,'protocol'],41,7],
    [1,['spec','ingress',0,'ports',0,'port'],42,7],
    [1,['spec','ingress',0,'ports',0,'missingField'],41,7],
    [1,['spec','ingress',0,'ports',0,'missingField',0],41,7],
    [1,['spec','ingress',0,'ports',1],40,5],
    [1,['spec','ingress',0,'missingField'],31,5],
    [1,['spec','ingress',0,'missingField',0],31,5],
    [1,['spec','ingress',1],30,3],
    [1,['spec','egress'],43,3],
    [1,['spec','egress',0],44,5],
    [1,['spec','egress',0,'to'],44,5],
    [1,['spec','egress',0,'to',0],45,7],
    [1,['spec','egress',0,'to',0,'podSelector'],45,7],
    [1,['spec','egress',0,'to',0,'podSelector','matchLabels'],46,9],
    [1,['spec','egress',0,'to',0,'podSelector','matchLabels','app'],46,23],
    [1,['spec','egress',0,'to',0,'podSelector','matchLabels','missingField'],46,9],
    [1,['spec','egress',0,'to',0,'podSelector','matchLabels','missingField',0],46,9],
    [1,['spec','egress',0,'to',0,'podSelector','missingField'],45,7],
    [1,['spec','egress',0,'to',0,'podSelector','missingField',0],45,7],
    [1,['spec','egress',0,'to',0,'missingField'],45,7],
    [1,['spec','egress',0,'to',0,'missingField',0],45,7],
    [1,['spec','egress',0,'to',1],44,5],
    [1,['spec','egress',0,'ports'],47,5],
    [1,['spec','egress',0,'ports',0],47,13],
    [1,['spec','egress',0,'ports',0,'protocol'],47,14],
    [1,['spec','egress',0,'ports',0,'port'],47,29],
    [1,['spec','egress',0,'ports',0,'missingField'],47,13],
    [1,['spec','egress',0,'ports',0,'missingField',0],47,13],
    [1,['spec','egress',0,'ports',1],47,5],
    [1,['spec','egress',0,'missingField'],44,5],
    [1,['spec','egress',0,'missingField',0],44,5],
    [1,['spec','egress',1],43,3],
    [1,['spec','missingField'],25,1],
    [1,['spec','missingField',0],25,1],
    [1,['missingField'],21,1],
    [1,['missingField',0],21,1],
    [2,[],49,1],
    [2,['apiVersion'],49,1],
    [2,['kind'],50,1],
    [2,['metadata'],51,1],
    [2,['metadata','name'],51,12],
    [2,['metadata','missingField'],51,1],
    [2,['metadata','missingField',0],51,1],
    [2,['data'],52,1],
    [2,['data','80'],54,3],
    [2,['data','key'],53,3],
    [2,['data','true'],55,3],
    [2,['data','quoted key'],56,3],
    [2,['data','missingField'],52,1],
    [2,['data','missingField',0],52,1],
    [2,['missingField'],49,1],
    [2,['missingField',0],49,1],
    [3,[],59,1],
    [3,['apiVersion'],59,1],
    [3,['kind'],60,1],
    [3,['metadata'],61,1],
    [3,['metadata','name'],62,3],
    [3,['metadata','missingField'],61,1],
    [3,['metadata','missingField',0],61,1],
    [3,['missingField'],59,1],
    [3,['missingField',0],59,1],
    // The empty document after the last `---` (never located: parseFiles skips empty documents);
    // eemeli/yaml put it after the marker (63:4), js-yaml opens it at the end of the file.
    [4,[],64,1],
  ],
  "list.yaml": [
    [0,[],1,1],
    [0,['apiVersion'],1,1],
    [0,['kind'],2,1],
    [0,['items'],3,1],
    [0,['items',0],4,5],
    [0,['items',0,'apiVersion'],4,5],
    [0,['items',0,'kind'],5,5],
    [0,['items',0,'metadata'],6,5],
    [0,['items',0,'metadata','name'],7,7],
    [0,['items',0,'metadata','namespace'],8,7],
    [0,['items',0,'metadata','missingField'],6,5],
    [0,['items',0,'metadata','missingField',0],6,5],
    [0,['items',0,'spec'],9,5],
    [0,['items',0,'spec','containers'],10,7],
    [0,['items',0,'spec','containers',0],11,9],
    [0,['items',0,'spec','containers',0,'name'],11,9],
    [0,['items',0,'spec','containers',0,'image'],12,9],
    [0,['items',0,'spec','containers',0,'missingField'],11,9],
    [0,['items',0,'spec','containers',0,'missingField',0],11,9],
    [0,['items',0,'spec','containers',1],10,7],
    [0,['items',0,'spec','missingField'],9,5],
    [0,['items',0,'spec','missingField',0],9,5],
    [0,['items',0,'missingField'],4,5],
    [0,['items',0,'missingField',0],4,5],
    [0,['items',1],13,5],
    [0,['items',1,'apiVersion'],13,5],
    [0,['items',1,'kind'],14,5],
    [0,['items',1,'metadata'],15,5],
    [0,['items',1,'metadata','name'],15,16],
    [0,['items',1,'metadata','namespace'],15,25],
    [0,['items',1,'metadata','missingField'],15,5],
    [0,['items',1,'metadata','missingField',0],15,5],
    [0,['items',1,'spec'],16,5],
    [0,['items',1,'spec','nodeName'],17,7],
    [0,['items',1,'spec','containers'],18,7],
    [0,['items',1,'spec','containers',0],18,20],
    [0,['items',1,'spec','containers',0,'name'],18,21],
    [0,['items',1,'spec','containers',0,'image'],18,30],
    [0,['items',1,'spec','containers',0,'ports'],18,46],
    [0,['items',1,'spec','containers',0,'ports',0],18,54],
    [0,['items',1,'spec','containers',0,'ports',0,'containerPort'],18,55],
    [0,['items',1,'spec','containers',0,'ports',0,'missingField'],18,54],
    [0,['items',1,'spec','containers',0,'ports',0,'missingField',0],18,54],
    [0,['items',1,'spec','containers',0,'ports',1],18,46],
    [0,['items',1,'spec','containers',0,'missingField'],18,20],
    [0,['items',1,'spec','containers',0,'missingField',0],18,20],
    [0,['items',1,'spec','containers',1],18,7],
    [0,['items',1,'spec','missingField'],16,5],
    [0,['items',1,'spec','missingField',0],16,5],
    [0,['items',1,'missingField'],13,5],
    [0,['items',1,'missingField',0],13,5],
    [0,['items',2],3,1],
    [0,['metadata'],19,1],
    [0,['metadata','resourceVersion'],20,3],
    [0,['metadata','missingField'],19,1],
    [0,['metadata','missingField',0],19,1],
    [0,['missingField'],1,1],
    [0,['missingField',0],1,1],
  ],
  "flow.yaml": [
    [0,[],1,1],
    [0,['apiVersion'],1,2],
    [0,['kind'],1,22],
    [0,['metadata'],2,2],
    [0,['metadata','name'],2,15],
    [0,['metadata','labels'],2,35],
    [0,['metadata','labels','app'],2,46],
    [0,['metadata','labels','missingField'],2,35],
    [0,['metadata','labels','missingField',0],2,35],
    [0,['metadata','missingField'],2,2],
    [0,['metadata','missingField',0],2,2],
    [0,['spec'],3,2],
    [0,['spec','containers'],3,11],
    [0,['spec','containers',0],4,4],
    [0,['spec','containers',0,'name'],4,5],
    [0,['spec','containers',0,'image'],4,18],
    [0,['spec','containers',0,'ports'],4,38],
    [0,['spec','containers',0,'ports',0],4,48],
    [0,['spec','containers',0,'ports',0,'containerPort'],4,49],
    [0,['spec','containers',0,'ports',0,'missingField'],4,48],
    [0,['spec','containers',0,'ports',0,'missingField',0],4,48],
    [0,['spec','containers',0,'ports',1],4,71],
    [0,['spec','containers',0,'ports',1,'containerPort'],4,72],
    [0,['spec','containers',0,'ports',1,'missingField'],4,71],
    [0,['spec','containers',0,'ports',1,'missingField',0],4,71],
    [0,['spec','containers',0,'ports',2],4,38],
    [0,['spec','containers',0,'missingField'],4,4],
    [0,['spec','containers',0,'missingField',0],4,4],
    [0,['spec','containers',1],5,4],
    [0,['spec','containers',1,'name'],5,5],
    [0,['spec','containers',1,'image'],6,5],
    [0,['spec','containers',1,'missingField'],5,4],
    [0,['spec','containers',1,'missingField',0],5,4],
    [0,['spec','containers',2],3,11],
    [0,['spec','missingField'],3,2],
    [0,['spec','missingField',0],3,2],
    [0,['missingField'],1,1],
    [0,['missingField',0],1,1],
    [1,[],9,1],
    [1,['kind'],9,1],
    [1,['apiVersion'],10,1],
    [1,['metadata'],11,1],
    [1,['metadata','name'],12,3],
    [1,['metadata','labels'],13,3],
    [1,['metadata','labels','app'],14,6],
    [1,['metadata','labels','tier'],14,18],
    [1,['metadata','labels','missingField'],13,3],
    [1,['metadata','labels','missingField',0],13,3],
    [1,['metadata','missingField'],11,1],
    [1,['metadata','missingField',0],11,1],
    [1,['spec'],15,1],
    [1,['spec','containers'],16,3],
    [1,['spec','containers',0],17,6],
    [1,['spec','containers',0,'name'],17,7],
    [1,['spec','containers',0,'image'],17,16],
    [1,['spec','containers',0,'missingField'],17,6],
    [1,['spec','containers',0,'missingField',0],17,6],
    [1,['spec','containers',1],17,33],
    [1,['spec','containers',1,'name'],17,34],
    [1,['spec','containers',1,'image'],17,43],
    [1,['spec','containers',1,'missingField'],17,33],
    [1,['spec','containers',1,'missingField',0],17,33],
    [1,['spec','containers',2],16,3],
    [1,['spec','dnsConfig'],18,3],
    [1,['spec','dnsConfig','nameservers'],19,5],
    [1,['spec','dnsConfig','nameservers',0],19,20],
    [1,['spec','dnsConfig','nameservers',1],20,7],
    [1,['spec','dnsConfig','nameservers',2],19,5],
    [1,['spec','dnsConfig','searches'],21,5],
    [1,['spec','dnsConfig','searches',0],22,9],
    [1,['spec','dnsConfig','searches',1],21,5],
    [1,['spec','dnsConfig','missingField'],18,3],
    [1,['spec','dnsConfig','missingField',0],18,3],
    [1,['spec','hostAliases'],23,3],
    [1,['spec','hostAliases',0],23,18],
    [1,['spec','hostAliases',0,'ip'],23,19],
    [1,['spec','hostAliases',0,'hostnames'],23,33],
    [1,['spec','hostAliases',0,'hostnames',0],23,45],
    [1,['spec','hostAliases',0,'hostnames',1],23,50],
    [1,['spec','hostAliases',0,'hostnames',2],23,33],
    [1,['spec','hostAliases',0,'missingField'],23,18],
    [1,['spec','hostAliases',0,'missingField',0],23,18],
    [1,['spec','hostAliases',1],23,3],
    [1,['spec','extra'],24,3],
    [1,['spec','extra',0],24,11],
    [1,['spec','extra',0,'a'],24,11],
    [1,['spec','extra',0,'missingField'],24,11],
    [1,['spec','extra',0,'missingField',0],24,11],
    [1,['spec','extra',1],24,17],
    [1,['spec','extra',2],24,20],
    [1,['spec','extra',2,'c'],24,20],
    [1,['spec','extra',2,'c','d'],24,24],
    [1,['spec','extra',2,'c','missingField'],24,20],
    [1,['spec','extra',2,'c','missingField',0],24,20],
    [1,['spec','extra',2,'missingField'],24,20],
    [1,['spec','extra',2,'missingField',0],24,20],
    [1,['spec','extra',3],24,3],
    [1,['spec','empty'],25,3],
    [1,['spec','empty','missingField'],25,3],
    [1,['spec','empty','missingField',0],25,3],
    [1,['spec','emptySeq'],26,3],
    [1,['spec','emptySeq',0],26,3],
    [1,['spec','missingField'],15,1],
    [1,['spec','missingField',0],15,1],
    [1,['missingField'],9,1],
    [1,['missingField',0],9,1],
  ],
  "anchors.yaml": [
    [0,[],1,1],
    [0,['apiVersion'],1,1],
    [0,['kind'],2,1],
    [0,['metadata'],3,1],
    [0,['metadata','name'],4,3],
    [0,['metadata','labels'],5,3],
    [0,['metadata','labels','app'],6,5],
    [0,['metadata','labels','tier'],7,5],
    [0,['metadata','labels','missingField'],5,3],
    [0,['metadata','labels','missingField',0],5,3],
    [0,['metadata','missingField'],3,1],
    [0,['metadata','missingField',0],3,1],
    [0,['spec'],8,1],
    [0,['spec','selector'],9,3],
    [0,['spec','selector','matchLabels'],10,5],
    [0,['spec','selector','matchLabels','app'],10,5],
    [0,['spec','selector','matchLabels','tier'],10,5],
    [0,['spec','selector','matchLabels','missingField'],10,5],
    [0,['spec','selector','matchLabels','missingField',0],10,5],
    [0,['spec','selector','missingField'],9,3],
    [0,['spec','selector','missingField',0],9,3],
    [0,['spec','template'],11,3],
    [0,['spec','template','metadata'],12,5],
    [0,['spec','template','metadata','labels'],13,7],
    [0,['spec','template','metadata','labels','app'],13,7],
    [0,['spec','template','metadata','labels','tier'],13,7],
    [0,['spec','template','metadata','labels','extra'],15,9],
    [0,['spec','template','metadata','labels','missingField'],13,7],
    [0,['spec','template','metadata','labels','missingField',0],13,7],
    [0,['spec','template','metadata','missingField'],12,5],
    [0,['spec','template','metadata','missingField',0],12,5],
    [0,['spec','template','spec'],16,5],
    [0,['spec','template','spec','containers'],17,7],
    [0,['spec','template','spec','containers',0],19,9],
    [0,['spec','template','spec','containers',0,'name'],19,9],
    [0,['spec','template','spec','containers',0,'image'],20,9],
    [0,['spec','template','spec','containers',0,'resources'],21,9],
    [0,['spec','template','spec','containers',0,'resources','limits'],21,26],
    [0,['spec','template','spec','containers',0,'resources','limits','cpu'],21,35],
    [0,['spec','template','spec','containers',0,'resources','limits','missingField'],21,26],
    [0,['spec','template','spec','containers',0,'resources','limits','missingField',0],21,26],
    [0,['spec','template','spec','containers',0,'resources','missingField'],21,9],
    [0,['spec','template','spec','containers',0,'resources','missingField',0],21,9],
    [0,['spec','template','spec','containers',0,'missingField'],19,9],
    [0,['spec','template','spec','containers',0,'missingField',0],19,9],
    [0,['spec','template','spec','containers',1],22,9],
    [0,['spec','template','spec','containers',1,'name'],23,9],
    [0,['spec','template','spec','containers',1,'image'],22,9],
    [0,['spec','template','spec','containers',1,'resources'],24,9],
    [0,['spec','template','spec','containers',1,'resources','limits'],24,9],
    [0,['spec','template','spec','containers',1,'resources','limits','cpu'],24,9],
    [0,['spec','template','spec','containers',1,'resources','limits','missingField'],24,9],
    [0,['spec','template','spec','containers',1,'resources','limits','missingField',0],24,9],
    [0,['spec','template','spec','containers',1,'resources','missingField'],24,9],
    [0,['spec','template','spec','containers',1,'resources','missingField',0],24,9],
    [0,['spec','template','spec','containers',1,'missingField'],22,9],
    [0,['spec','template','spec','containers',1,'missingField',0],22,9],
    [0,['spec','template','spec','containers',2],25,16],
    [0,['spec','template','spec','containers',2,'name'],25,16],
    [0,['spec','template','spec','containers',2,'image'],26,9],
    [0,['spec','template','spec','containers',2,'missingField'],25,16],
    [0,['spec','template','spec','containers',2,'missingField',0],25,16],
    [0,['spec','template','spec','containers',3],28,9],
    [0,['spec','template','spec','containers',3,'name'],28,9],
    [0,['spec','template','spec','containers',3,'image'],29,9],
    [0,['spec','template','spec','containers',3,'missingField'],28,9],
    [0,['spec','template','spec','containers',3,'missingField',0],28,9],
    [0,['spec','template','spec','containers',4],17,7],
    [0,['spec','template','spec','missingField'],16,5],
    [0,['spec','template','spec','missingField',0],16,5],
    [0,['spec','template','missingField'],11,3],
    [0,['spec','template','missingField',0],11,3],
    [0,['spec','missingField'],8,1],
    [0,['spec','missingField',0],8,1],
    [0,['missingField'],1,1],
    [0,['missingField',0],1,1],
  ],
  "odd.yaml": [
    [0,[],4,1],
    [0,['apiVersion'],4,1],
    [0,['kind'],5,1],
    [0,['metadata'],6,1],
    [0,['metadata','name'],7,5],
    [0,['metadata','annotations'],8,5],
    [0,['metadata','annotations','a'],9,9],
    [0,['metadata','annotations','b'],10,9],
    [0,['metadata','annotations','c'],11,9],
    [0,['metadata','annotations','explicit'],12,11],
    [0,['metadata','annotations','d'],14,9],
    [0,['metadata','annotations','e'],17,9],
    [0,['metadata','annotations','missingField'],8,5],
    [0,['metadata','annotations','missingField',0],8,5],
    [0,['metadata','missingField'],6,1],
    [0,['metadata','missingField',0],6,1],
    [0,['spec'],18,1],
    [0,['spec','containers'],19,5],
    [0,['spec','containers',0],21,7],
    [0,['spec','containers',0,'name'],21,7],
    [0,['spec','containers',0,'image'],22,7],
    [0,['spec','containers',0,'missingField'],21,7],
    [0,['spec','containers',0,'missingField',0],21,7],
    [0,['spec','containers',1],23,7],
    [0,['spec','containers',1,'name'],23,7],
    [0,['spec','containers',1,'image'],24,7],
    [0,['spec','containers',1,'missingField'],23,7],
    [0,['spec','containers',1,'missingField',0],23,7],
    [0,['spec','containers',2],25,11],
    [0,['spec','containers',2,'name'],25,11],
    [0,['spec','containers',2,'image'],26,11],
    [0,['spec','containers',2,'missingField'],25,11],
    [0,['spec','containers',2,'missingField',0],25,11],
    [0,['spec','containers',3],19,5],
    [0,['spec','restartPolicy'],27,5],
    [0,['spec','missingField'],18,1],
    [0,['spec','missingField',0],18,1],
    [0,['missingField'],4,1],
    [0,['missingField',0],4,1],
  ],
  "nested.yaml": [
    [0,[],1,1],
    [0,[0],1,3],
    [0,[0,0],1,5],
    [0,[0,1],2,5],
    [0,[0,2],1,3],
    [0,[1],3,3],
    [0,[1,0],3,5],
    [0,[1,1],3,3],
    [0,[2],4,3],
    [0,[2,'key'],4,3],
    [0,[2,'list'],5,3],
    [0,[2,'list',0],6,5],
    [0,[2,'list',1],7,5],
    [0,[2,'list',2],5,3],
    [0,[2,'missingField'],4,3],
    [0,[2,'missingField',0],4,3],
    [0,[3],1,1],
  ],
  "bom.yaml": [
    [0,[],1,2],
    [0,['apiVersion'],1,2],
    [0,['kind'],2,1],
    [0,['metadata'],3,1],
    [0,['metadata','name'],4,3],
    [0,['metadata','missingField'],3,1],
    [0,['metadata','missingField',0],3,1],
    [0,['missingField'],1,2],
    [0,['missingField',0],1,2],
  ],
  "kubectl-dump.yaml": [
    [0,[],3,1],
    [0,['items',0,'metadata','annotations','flannel.alpha.coreos.com/backend-type'],10,7],
    [0,['items',0,'metadata','labels'],17,5],
    [0,['items',0,'metadata','labels','missingField',0],17,5],
    [0,['items',0,'metadata','managedFields',0,'fieldsV1','f:metadata','f:annotations','.','missingField'],31,13],
    [0,['items',0,'metadata','managedFields',0,'fieldsV1','missingField'],28,7],
    [0,['items',0,'metadata','resourceVersion'],37,5],
    [0,['items',0,'spec','providerID'],43,5],
    [0,['items',0,'spec','missingField',0],39,3],
    [0,['items',0,'status','addresses',1,'address'],51,7],
    [0,['items',0,'status','allocatable','memory'],57,7],
    [0,['items',0,'status','capacity','pods'],64,7],
    [0,['items',0,'status','conditions',0,'status'],70,7],
    [0,['items',0,'status','daemonEndpoints','kubeletEndpoint','missingField',0],73,7],
    [0,['items',0,'status','nodeInfo','kubeletVersion'],81,7],
    [0,['items',0,'missingField'],5,3],
    [0,['items',1,'metadata','annotations','flannel.alpha.coreos.com/kube-subnet-manager'],92,7],
    [0,['items',1,'metadata','labels','beta.kubernetes.io/arch'],99,7],
    [0,['items',1,'metadata','managedFields',0,'apiVersion'],105,7],
    [0,['items',1,'metadata','managedFields',0,'fieldsV1','f:metadata','f:annotations','f:volumes.kubernetes.io/controller-managed-attach-detach','missingField'],111,13],
    [0,['items',1,'metadata','managedFields',0,'operation'],113,7],
    [0,['items',1,'metadata','missingField',0],88,3],
    [0,['items',1,'status'],123,3],
    [0,['items',1,'status','addresses',1,'type'],128,7],
    [0,['items',1,'status','allocatable','pods'],134,7],
    [0,['items',1,'status','capacity','missingField'],135,5],
    [0,['items',1,'status','conditions',0,'type'],147,7],
    [0,['items',1,'status','daemonEndpoints','missingField'],148,5],
    [0,['items',1,'status','nodeInfo','machineID'],158,7],
    [0,['items',1,'missingField',0],86,3],
    [0,['items',2,'metadata','annotations','flannel.alpha.coreos.com/public-ip'],169,7],
    [0,['items',2,'metadata','labels','beta.kubernetes.io/os'],176,7],
    [0,['items',2,'metadata','managedFields',0,'fieldsType'],182,7],
    [0,['items',2,'metadata','managedFields',0,'fieldsV1','f:metadata','f:annotations','f:volumes.kubernetes.io/controller-managed-attach-detach','missingField',0],187,13],
    [0,['items',2,'metadata','managedFields',0,'time'],190,7],
    [0,['items',2,'spec'],194,3],
    [0,['items',2,'status','addresses'],200,5],
    [0,['items',2,'status','addresses',1,'missingField'],203,7],
    [0,['items',2,'status','allocatable','missingField'],205,5],
    [0,['items',2,'status','capacity','missingField',0],211,5],
    [0,['items',2,'status','conditions',0,'missingField'],218,7],
    [0,['items',2,'status','daemonEndpoints','missingField',0],224,5],
    [0,['items',2,'status','nodeInfo','operatingSystem'],235,7],
    [0,['items',3],238,3],
    [0,['items',3,'metadata','labels','missingField',0],242,5],
    [0,['items',3,'metadata','managedFields',0,'fieldsV1','f:status','f:conditions','missingField',0],250,11],
    [0,['items',3,'metadata','managedFields',0,'missingField'],246,7],
    [0,['items',3,'metadata','ownerReferences',0,'controller'],260,7],
    [0,['items',3,'metadata','missingField'],240,3],
    [0,['items',3,'spec','containers',0,'imagePullPolicy'],271,7],
    [0,['items',3,'spec','containers',0,'missingField'],268,7],
    [0,['items',3,'spec','restartPolicy'],282,5],
    [0,['items',3,'spec','tolerations',0],289,7],
    [0,['items',3,'status','conditions'],292,5],
    [0,['items',3,'status','conditions',1,'lastProbeTime'],297,7],
    [0,['items',3,'status','containerStatuses',0,'containerID'],302,7],
    [0,['items',3,'status','containerStatuses',0,'started'],309,7],
    [0,['items',3,'status','containerStatuses',0,'missingField',0],302,7],
    [0,['items',3,'status','phase'],316,5],
    [0,['items',3,'status','startTime'],321,5],
    [0,['items',4,'metadata','creationTimestamp'],325,5],
    [0,['items',4,'metadata','managedFields',0,'fieldsType'],331,7],
    [0,['items',4,'metadata','managedFields',0,'fieldsV1','missingField',0],332,7],
    [0,['items',4,'metadata','namespace'],340,5],
    [0,['items',4,'metadata','ownerReferences',0,'missingField'],342,7],
    [0,['items',4,'spec','containers',0],352,7],
    [0,['items',4,'spec','containers',0,'resources','requests','cpu'],359,11],
    [0,['items',4,'spec','enableServiceLinks'],361,5],
    [0,['items',4,'spec','securityContext','missingField',0],368,5],
    [0,['items',4,'spec','tolerations',0,'missingField',0],373,7],
    [0,['items',4,'status','conditions',0,'status'],379,7],
    [0,['items',4,'status','conditions',1,'missingField'],381,7],
    [0,['items',4,'status','containerStatuses',0,'lastState','missingField'],389,7],
    [0,['items',4,'status','containerStatuses',0,'state','running','missingField'],395,9],
    [0,['items',4,'status','hostIPs',0],399,7],
    [0,['items',4,'status','podIPs',0,'ip'],403,7],
    [0,['items',4,'missingField',0],322,3],
    [0,['items',5,'metadata','labels','missingField'],410,5],
    [0,['items',5,'metadata','managedFields',0,'fieldsV1','f:status','f:conditions','missingField'],418,11],
    [0,['items',5,'metadata','managedFields',0,'time'],422,7],
    [0,['items',5,'metadata','ownerReferences',0,'blockOwnerDeletion'],427,7],
    [0,['items',5,'metadata','uid'],433,5],
    [0,['items',5,'spec','containers',0,'image'],438,7],
    [0,['items',5,'spec','containers',0,'resources','missingField',0],441,7],
    [0,['items',5,'spec','priority'],449,5],
    [0,['items',5,'spec','tolerations'],456,5],
    [0,['items',5,'status'],459,3],
    [0,['items',5,'status','conditions',1],465,7],
    [0,['items',5,'status','containerStatuses',0],470,7],
    [0,['items',5,'status','containerStatuses',0,'restartCount'],476,7],
    [0,['items',5,'status','containerStatuses',0,'missingField'],470,7],
    [0,['items',5,'status','hostIPs',1],482,5],
    [0,['items',5,'status','qosClass'],488,5],
    [0,['items',6,'metadata'],492,3],
    [0,['items',6,'metadata','managedFields',0,'apiVersion'],498,7],
    [0,['items',6,'metadata','managedFields',0,'fieldsV1','missingField'],500,7],
    [0,['items',6,'metadata','name'],507,5],
    [0,['items',6,'metadata','ownerReferences',0,'uid'],515,7],
    [0,['items',6,'spec','containers'],519,5],
    [0,['items',6,'spec','containers',0,'resources','requests'],526,9],
    [0,['items',6,'spec','dnsPolicy'],528,5],
    [0,['items',6,'spec','securityContext','missingField'],536,5],
    [0,['items',6,'spec','tolerations',0,'missingField'],541,7],
    [0,['items',6,'status','conditions',0,'lastTransitionTime'],546,7],
    [0,['items',6,'status','conditions',1,'type'],552,7],
    [0,['items',6,'status','containerStatuses',0,'lastState'],557,7],
    [0,['items',6,'status','containerStatuses',0,'state','running','startedAt'],564,11],
    [0,['items',6,'status','hostIPs'],566,5],
    [0,['items',6,'status','podIPs',0],571,7],
    [0,['items',6,'missingField'],490,3],
    [0,['items',7,'metadata','labels','controller-revision-hash'],580,7],
    [0,['items',7,'metadata','managedFields',0,'fieldsV1'],586,7],
    [0,['items',7,'metadata','managedFields',0,'manager'],589,7],
    [0,['items',7,'metadata','ownerReferences'],595,5],
    [0,['items',7,'metadata','ownerReferences',0,'missingField',0],596,7],
    [0,['items',7,'spec','containers',0,'command'],606,7],
    [0,['items',7,'spec','containers',0,'securityContext','privileged'],614,9],
    [0,['items',7,'spec','nodeName'],618,5],
    [0,['items',7,'spec','serviceAccountName'],625,5],
    [0,['items',7,'spec','missingField',0],604,3],
    [0,['items',7,'status','conditions',0,'missingField',0],631,7],
    [0,['items',7,'status','containerStatuses'],639,5],
    [0,['items',7,'status','containerStatuses',0,'ready'],645,7],
    [0,['items',7,'status','containerStatuses',0,'state','missingField',0],648,7],
    [0,['items',7,'status','hostIPs',0,'missingField',0],653,7],
    [0,['items',7,'status','podIPs',1],656,5],
    [0,['items',8,'kind'],661,3],
    [0,['items',8,'metadata','labels','missingField',0],665,5],
    [0,['items',8,'metadata','managedFields',0,'fieldsV1','f:status','f:conditions','missingField',0],674,11],
    [0,['items',8,'metadata','managedFields',0,'missingField'],670,7],
    [0,['items',8,'metadata','ownerReferences',0,'controller'],684,7],
    [0,['items',8,'metadata','missingField'],662,3],
    [0,['items',8,'spec','containers',0,'command',3],692,7],
    [0,['items',8,'spec','containers',0,'missingField',0],692,7],
    [0,['items',8,'spec','schedulerName'],708,5],
    [0,['items',8,'spec','tolerations',0,'operator'],714,7],
    [0,['items',8,'status','conditions',0,'lastProbeTime'],717,7],
    [0,['items',8,'status','conditions',1,'status'],723,7],
    [0,['items',8,'status','containerStatuses',0,'imageID'],728,7],
    [0,['items',8,'status','containerStatuses',0,'state','running'],735,9],
    [0,['items',8,'status','hostIP'],737,5],
    [0,['items',8,'status','podIPs'],742,5],
    [0,['items',8,'status','missingField',0],715,3],
    [0,['items',9,'metadata','labels'],751,5],
    [0,['items',9,'metadata','managedFields',0,'fieldsType'],757,7],
    [0,['items',9,'metadata','managedFields',0,'fieldsV1','missingField',0],758,7],
    [0,['items',9,'metadata','namespace'],766,5],
    [0,['items',9,'metadata','ownerReferences',0,'missingField'],768,7],
    [0,['items',9,'spec','containers',0],778,7],
    [0,['items',9,'spec','containers',0,'securityContext'],785,7],
    [0,['items',9,'spec','hostNetwork'],789,5],
    [0,['items',9,'spec','serviceAccount'],796,5],
    [0,['items',9,'spec','missingField'],776,3],
    [0,['items',9,'status','conditions',0,'missingField'],803,7],
    [0,['items',9,'status','conditions',2],802,5],
    [0,['items',9,'status','containerStatuses',0,'name'],816,7],
    [0,['items',9,'status','containerStatuses',0,'state','missingField'],820,7],
    [0,['items',9,'status','hostIPs',0,'missingField'],825,7],
    [0,['items',9,'status','podIPs',0,'missingField',0],829,7],
    [0,['items',10,'apiVersion'],832,3],
    [0,['items',10,'metadata','labels','pod-template-generation'],841,7],
    [0,['items',10,'metadata','managedFields',0,'fieldsV1','f:status'],847,9],
    [0,['items',10,'metadata','managedFields',0,'operation'],850,7],
    [0,['items',10,'metadata','ownerReferences',0],856,7],
    [0,['items',10,'metadata','ownerReferences',1],855,5],
    [0,['items',10,'spec','containers',0,'args',0],867,9],
    [0,['items',10,'spec','containers',0,'missingField'],866,7],
    [0,['items',10,'spec','restartPolicy'],880,5],
    [0,['items',10,'spec','tolerations',0],887,7],
    [0,['items',10,'status','conditions'],890,5],
    [0,['items',10,'status','conditions',1,'lastProbeTime'],895,7],
    [0,['items',10,'status','containerStatuses',0,'containerID'],900,7],
    [0,['items',10,'status','containerStatuses',0,'started'],907,7],
    [0,['items',10,'status','containerStatuses',0,'missingField',0],900,7],
    [0,['items',10,'status','phase'],914,5],
    [0,['items',10,'status','startTime'],919,5],
    [0,['items',11,'metadata','creationTimestamp'],923,5],
    [0,['items',11,'metadata','labels','missingField',0],925,5],
    [0,['items',11,'metadata','managedFields',0,'fieldsV1','f:status','f:conditions','missingField',0],936,11],
    [0,['items',11,'metadata','managedFields',0,'missingField'],932,7],
    [0,['items',11,'metadata','ownerReferences',0,'controller'],946,7],
    [0,['items',11,'metadata','missingField'],922,3],
    [0,['items',11,'spec','containers',0,'command'],957,7],
    [0,['items',11,'spec','dnsPolicy'],962,5],
    [0,['items',11,'spec','securityContext','missingField'],970,5],
    [0,['items',11,'spec','tolerations',0,'missingField'],975,7],
    [0,['items',11,'status','conditions',0,'lastTransitionTime'],980,7],
    [0,['items',11,'status','conditions',1,'type'],986,7],
    [0,['items',11,'status','containerStatuses',0,'lastState'],991,7],
    [0,['items',11,'status','containerStatuses',0,'state','running','startedAt'],998,11],
    [0,['items',11,'status','hostIPs'],1000,5],
    [0,['items',11,'status','podIPs',0],1005,7],
    [0,['items',11,'missingField'],920,3],
    [0,['items',12,'metadata','labels','app'],1014,7],
    [0,['items',12,'metadata','managedFields',0,'apiVersion'],1020,7],
    [0,['items',12,'metadata','managedFields',0,'fieldsV1','missingField'],1022,7],
    [0,['items',12,'metadata','name'],1029,5],
    [0,['items',12,'metadata','ownerReferences',0,'uid'],1037,7],
    [0,['items',12,'spec','containers'],1041,5],
    [0,['items',12,'spec','containers',0,'image'],1047,7],
    [0,['items',12,'spec','nodeName'],1053,5],
    [0,['items',12,'spec','serviceAccountName'],1060,5],
    [0,['items',12,'spec','missingField'],1040,3],
    [0,['items',12,'status','conditions',0,'missingField'],1067,7],
    [0,['items',12,'status','conditions',2],1066,5],
    [0,['items',12,'status','containerStatuses',0,'name'],1080,7],
    [0,['items',12,'status','containerStatuses',0,'state','missingField'],1084,7],
    [0,['items',12,'status','hostIPs',0,'missingField'],1089,7],
    [0,['items',12,'status','podIPs',0,'missingField',0],1093,7],
    [0,['items',13,'apiVersion'],1096,3],
    [0,['items',13,'metadata','labels','missingField',0],1101,5],
    [0,['items',13,'metadata','managedFields',0,'fieldsV1','f:status','f:conditions','missingField',0],1109,11],
    [0,['items',13,'metadata','managedFields',0,'missingField'],1105,7],
    [0,['items',13,'metadata','ownerReferences',0,'controller'],1119,7],
    [0,['items',13,'metadata','missingField'],1098,3],
    [0,['items',13,'spec','containers',0,'image'],1130,7],
    [0,['items',13,'spec','containers',0,'ports',0,'missingField',0],1134,9],
    [0,['items',13,'spec','containers',0,'ports',2,'name'],1141,9],
    [0,['items',13,'spec','enableServiceLinks'],1144,5],
    [0,['items',13,'spec','serviceAccount'],1151,5],
    [0,['items',13,'spec','tolerations',0,'missingField'],1155,7],
    [0,['items',13,'spec','tolerations',2],1154,5],
    [0,['items',13,'status','conditions',0,'type'],1168,7],
    [0,['items',13,'status','conditions',1,'missingField',0],1169,7],
    [0,['items',13,'status','containerStatuses',0,'lastState','missingField',0],1177,7],
    [0,['items',13,'status','containerStatuses',0,'state','running','missingField',0],1183,9],
    [0,['items',13,'status','hostIPs',0,'ip'],1187,7],
    [0,['items',13,'status','podIPs',0,'missingField'],1191,7],
    [0,['items',14],1194,3],
    [0,['items',14,'metadata','labels','missingField'],1199,5],
    [0,['items',14,'metadata','managedFields',0,'fieldsV1','f:status','f:conditions','missingField'],1207,11],
    [0,['items',14,'metadata','managedFields',0,'time'],1211,7],
    [0,['items',14,'metadata','ownerReferences',0,'blockOwnerDeletion'],1216,7],
    [0,['items',14,'metadata','uid'],1222,5],
    [0,['items',14,'spec','containers',0,'args',2],1225,7],
    [0,['items',14,'spec','containers',0,'ports',0,'missingField'],1232,9],
    [0,['items',14,'spec','containers',0,'ports',2,'containerPort'],1238,9],
    [0,['items',14,'spec','dnsPolicy'],1241,5],
    [0,['items',14,'spec','securityContext','missingField',0],1248,5],
    [0,['items',14,'spec','tolerations',0,'tolerationSeconds'],1256,7],
    [0,['items',14,'spec','tolerations',1,'missingField',0],1257,7],
    [0,['items',14,'status','conditions',0,'status'],1265,7],
    [0,['items',14,'status','conditions',1,'missingField'],1267,7],
    [0,['items',14,'status','containerStatuses',0,'lastState','missingField'],1275,7],
    [0,['items',14,'status','containerStatuses',0,'state','running','missingField'],1281,9],
    [0,['items',14,'status','hostIPs',0],1285,7],
    [0,['items',14,'status','podIPs',0,'ip'],1289,7],
    [0,['items',14,'missingField',0],1194,3],
    [0,['items',15,'metadata','labels','pod-template-hash'],1299,7],
    [0,['items',15,'metadata','managedFields',0,'fieldsV1','f:status','f:conditions'],1305,11],
    [0,['items',15,'metadata','managedFields',0,'subresource'],1308,7],
    [0,['items',15,'metadata','ownerReferences',0,'apiVersion'],1313,7],
    [0,['items',15,'metadata','resourceVersion'],1319,5],
    [0,['items',15,'spec','containers',0,'name'],1325,7],
    [0,['items',15,'spec','containers',0,'missingField'],1323,7],
    [0,['items',15,'spec','schedulerName'],1336,5],
    [0,['items',15,'spec','tolerations',0,'effect'],1342,7],
    [0,['items',15,'spec','tolerations',1,'operator'],1348,7],
    [0,['items',15,'status','conditions',0],1352,7],
    [0,['items',15,'status','conditions',1,'lastTransitionTime'],1357,7],
    [0,['items',15,'status','containerStatuses',0,'image'],1362,7],
    [0,['items',15,'status','containerStatuses',0,'state'],1369,7],
    [0,['items',15,'status','containerStatuses',1],1360,5],
    [0,['items',15,'status','podIP'],1376,5],
    [0,['items',15,'status','missingField'],1350,3],
    [0,['items',16,'metadata','generateName'],1385,5],
    [0,['items',16,'metadata','managedFields',0,'fieldsType'],1391,7],
    [0,['items',16,'metadata','managedFields',0,'fieldsV1','missingField',0],1392,7],
    [0,['items',16,'metadata','namespace'],1400,5],
    [0,['items',16,'metadata','ownerReferences',0,'missingField'],1402,7],
    [0,['items',16,'spec','containers',0],1412,7],
    [0,['items',16,'spec','containers',0,'ports',0,'missingField'],1416,9],
    [0,['items',16,'spec','preemptionPolicy'],1422,5],
    [0,['items',16,'spec','terminationGracePeriodSeconds'],1429,5],
    [0,['items',16,'spec','tolerations',1],1435,7],
    [0,['items',16,'spec','missingField',0],1410,3],
    [0,['items',16,'status','conditions',0,'missingField',0],1441,7],
    [0,['items',16,'status','containerStatuses'],1449,5],
    [0,['items',16,'status','containerStatuses',0,'ready'],1455,7],
    [0,['items',16,'status','containerStatuses',0,'state','missingField',0],1458,7],
    [0,['items',16,'status','hostIPs',0,'missingField',0],1463,7],
    [0,['items',16,'status','podIPs',1],1466,5],
    [0,['items',17,'kind'],1471,3],
    [0,['items',17,'metadata','managedFields'],1478,5],
    [0,['items',17,'metadata','managedFields',0,'fieldsV1','f:status','missingField'],1482,9],
    [0,['items',17,'metadata','managedFields',0,'missingField',0],1479,7],
    [0,['items',17,'metadata','ownerReferences',0,'kind'],1494,7],
    [0,['items',17,'metadata','missingField',0],1472,3],
    [0,['items',17,'spec','containers',0,'ports',0,'containerPort'],1505,9],
    [0,['items',17,'spec','dnsPolicy'],1508,5],
    [0,['items',17,'spec','securityContext','missingField',0],1515,5],
    [0,['items',17,'spec','tolerations',0,'tolerationSeconds'],1523,7],
    [0,['items',17,'spec','tolerations',1,'missingField',0],1524,7],
    [0,['items',17,'status','conditions',0,'status'],1532,7],
    [0,['items',17,'status','conditions',1,'missingField'],1534,7],
    [0,['items',17,'status','containerStatuses',0,'lastState','missingField'],1542,7],
    [0,['items',17,'status','containerStatuses',0,'state','running','missingField'],1548,9],
    [0,['items',17,'status','hostIPs',0],1552,7],
    [0,['items',17,'status','podIPs',0,'ip'],1556,7],
    [0,['items',17,'missingField',0],1470,3],
    [0,['items',18,'metadata','labels','missingField',0],1563,5],
    [0,['items',18,'metadata','managedFields',0,'fieldsV1','f:status','f:conditions','missingField',0],1570,11],
    [0,['items',18,'metadata','managedFields',0,'missingField'],1566,7],
    [0,['items',18,'spec'],1579,3],
    [0,['items',18,'spec','containers',0,'name'],1586,7],
    [0,['items',18,'spec','restartPolicy'],1592,5],
    [0,['items',18,'spec','tolerations',0],1599,7],
    [0,['items',18,'spec','tolerations',1,'key'],1604,7],
    [0,['items',18,'status','conditions'],1608,5],
    [0,['items',18,'status','conditions',1,'lastProbeTime'],1613,7],
    [0,['items',18,'status','containerStatuses',0,'containerID'],1618,7],
    [0,['items',18,'status','containerStatuses',0,'started'],1625,7],
    [0,['items',18,'status','containerStatuses',0,'missingField',0],1618,7],
    [0,['items',18,'status','phase'],1632,5],
    [0,['items',18,'status','startTime'],1637,5],
    [0,['items',19,'metadata','creationTimestamp'],1641,5],
    [0,['items',19,'metadata','uid'],1648,5],
    [0,['items',19,'spec','ipFamilies'],1654,5],
    [0,['items',19,'spec','ports',0,'targetPort'],1661,7],
    [0,['items',19,'status','loadBalancer'],1665,5],
    [0,['items',20,'kind'],1667,3],
    [0,['items',20,'metadata','name'],1674,5],
    [0,['items',20,'spec','clusterIPs',0],1681,7],
    [0,['items',20,'spec','ports',0,'name'],1687,7],
    [0,['items',20,'spec','ports',1,'protocol'],1693,7],
    [0,['items',20,'spec','ports',2,'missingField'],1695,7],
    [0,['items',20,'spec','missingField'],1678,3],
    [0,['items',20,'missingField',0],1666,3],
    [0,['items',21,'metadata','name'],1710,5],
    [0,['items',21,'spec','clusterIPs',0],1717,7],
    [0,['items',21,'spec','ports',0,'name'],1723,7],
    [0,['items',21,'spec','selector','missingField'],1727,5],
    [0,['items',21,'status','loadBalancer','missingField',0],1732,5],
    [0,['items',22,'endpoints',0],1736,5],
    [0,['items',22,'endpoints',0,'conditions','missingField',0],1738,5],
    [0,['items',22,'endpoints',0,'missingField',0],1736,5],
    [0,['items',22,'endpoints',1,'conditions','missingField'],1749,5],
    [0,['items',22,'endpoints',1,'missingField'],1747,5],
    [0,['items',22,'endpoints',2,'conditions','terminating'],1763,7],
    [0,['items',22,'endpoints',2,'targetRef','missingField',0],1765,5],
    [0,['items',22,'metadata','labels'],1774,5],
    [0,['items',22,'metadata','ownerReferences',0,'apiVersion'],1780,7],
    [0,['items',22,'metadata','resourceVersion'],1786,5],
    [0,['items',22,'ports',0,'missingField'],1789,5],
    [0,['items',23,'metadata','annotations'],1795,5],
    [0,['items',23,'metadata','uid'],1802,5],
    [0,['items',23,'spec','ingress',0,'from',0,'namespaceSelector','matchLabels'],1807,11],
    [0,['items',23,'spec','ingress',0,'from',0,'podSelector','matchLabels','missingField'],1810,11],
    [0,['items',23,'spec','ingress',0,'ports',0,'port'],1813,9],
    [0,['items',23,'spec','podSelector','matchLabels'],1816,7],
    [0,['items',23,'spec','missingField'],1803,3],
    [0,['items',24,'metadata','labels'],1824,5],
    [0,['items',24,'spec'],1829,3],
    [0,['items',24,'status','missingField',0],1832,3],
    [0,['items',25,'metadata','labels','kubernetes.io/metadata.name'],1839,7],
    [0,['items',25,'spec'],1844,3],
    [0,['items',25,'status','missingField',0],1847,3],
    [0,['items',26,'metadata','labels','kubernetes.io/metadata.name'],1854,7],
    [0,['items',26,'spec','finalizers'],1859,5],
    [0,['items',26,'missingField'],1849,3],
    [0,['items',27,'metadata','labels','missingField'],1867,5],
    [0,['items',27,'spec','finalizers',0],1874,7],
    [0,['items',27,'missingField',0],1863,3],
    [0,['items',28,'metadata','labels','missingField',0],1881,5],
    [0,['items',28,'spec','finalizers',1],1887,5],
    [0,['items',29],1891,3],
    [0,['items',29,'metadata','name'],1897,5],
    [0,['items',29,'spec','missingField'],1900,3],
    [0,['kind'],1905,1],
  ],
};
// A CRLF copy of the Deployment: line breaks of either kind give the same positions.
EXPECTED['crlf.yaml'] = EXPECTED['deployment.yaml'];

describe('locate', () => {
  for (const file of FILES) {
    it(`matches the recorded positions in ${file.name}`, () => {
      const got = EXPECTED[file.name].map(([doc, path]) => {
        const at = locate(FILES, { file: file.name, doc, path });
        return [doc, path, at?.line, at?.column];
      });
      expect(got).toEqual(EXPECTED[file.name]);
    });
  }

  it('edge cases: empty items, explicit keys, flow pairs, aliases, line breaks', () => {
    const at = (text: string, path: (string | number)[], doc = 0) => {
      const p = locate([{ name: 'e.yaml', text }], { file: 'e.yaml', doc, path });
      return p && [p.line, p.column];
    };
    // An empty item (`-` alone) is at the end of its dash's line; the items after it keep their index.
    expect(at('a:\n- x\n-\n- y\n', ['a', 1])).toEqual([3, 2]);
    expect(at('a:\n- x\n-\n- y\n', ['a', 2])).toEqual([4, 3]);
    expect(at('a:\n  - x\n  - # c\n  - y\n', ['a', 1])).toEqual([3, 5]);
    expect(at('a:\n  - x\n  - # c\n  - y\n', ['a', 2])).toEqual([4, 5]);
    expect(at('a: [? b, c]\n', ['a', 1])).toEqual([1, 10]);
    expect(at('a: [? b : d, c]\n', ['a', 0, 'b'])).toEqual([1, 7]);
    expect(at('a: 1\nb: [1,\n  2, {c: d}]\n', ['b', 2, 'c'])).toEqual([3, 7]);
    expect(at('x: {"k":1, "j": [2]}\n', ['x', 'j', 0])).toEqual([1, 18]);
    expect(at('x: ["k":1, j: {z: 2}]\n', ['x', 1, 'j', 'z'])).toEqual([1, 16]);
    expect(at('- {a: 1}\n- [b]\n', [1, 0])).toEqual([2, 4]);
    expect(at('? [a, b]\n: c\nd: e\n', ['d'])).toEqual([3, 1]);
    expect(at('--- !!map\na: 1\n', ['a'])).toEqual([2, 1]);
    expect(at('--- &r\na: 1\n', [])).toEqual([2, 1]);
    // An alias is not followed: the path stops at the field that holds it.
    expect(at('a: !!str 1\nb: &x\n  c: 1\nd: *x\n', ['d', 'c'])).toEqual([4, 1]);
    // A lone CR is a line break to js-yaml (eemeli/yaml saw one line: 1:1).
    expect(at('a: 1\rb:\r  c: 2\r', ['b', 'c'])).toEqual([3, 3]);
  });

  it('returns undefined, without throwing, for YAML js-yaml rejects and for unknown files or documents', () => {
    const at = (text: string, doc = 0) => locate([{ name: 'e.yaml', text }], { file: 'e.yaml', doc, path: ['a'] });
    expect(at('a: b: c\n')).toBeUndefined();
    expect(at('a: 1\na: 2\n')).toBeUndefined(); // duplicated mapping key
    expect(at('a:\n\t- x\n')).toBeUndefined(); // tab indentation
    expect(at('a: [1, 2\n')).toBeUndefined();
    expect(at('a: *nope\n')).toBeUndefined();
    expect(at('')).toBeUndefined();
    expect(at('a: 1\n', 1)).toBeUndefined();
    expect(locate([], { file: 'e.yaml', doc: 0, path: [] })).toBeUndefined();
  });

  it('answers from the cached parse and re-parses when the text changes', () => {
    const files = [{ name: 'c.yaml', text: 'a: 1\nb: 2\n' }];
    expect(locate(files, { file: 'c.yaml', doc: 0, path: ['b'] })).toEqual({ line: 2, column: 1 });
    expect(locate(files, { file: 'c.yaml', doc: 0, path: ['b'] })).toEqual({ line: 2, column: 1 });
    files[0] = { name: 'c.yaml', text: '# moved\na: 1\n\nb: 2\n' };
    expect(locate(files, { file: 'c.yaml', doc: 0, path: ['b'] })).toEqual({ line: 4, column: 1 });
  });
});
