/**
 * Changes to the cluster through the engine's commands, each one undoable: the CNI and
 * kube-proxy modes (the same cluster re-plumbed), scaling a Deployment, labels, a Service from
 * selected pods or a selector, and a NetworkPolicy from a form or as YAML.
 */
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { CNI_MODES, KUBE_PROXY_MODES, type Cluster, type CniMode, type KubeProxyMode } from '../../engine/model/cluster';
import * as commands from '../../engine/controllers/commands';
import { ok, type Result } from '../../engine/model/source';
import { commonLabels, formatLabels, parseLabels, policyManifest, serviceManifest, type Protocol, type ServiceForm } from '../state/manifests';
import { useEditingReady } from '../editing';
import { enforcementOf } from '../../engine/policy/enforcement';
import { notEnforcedBecause } from '../../engine/policy/unenforced';
import { useApp, useAppStoreApi } from '../StoreContext';
import './editPanel.css';

/** Apply manifests as `kubectl apply` would, keeping only the new cluster. */
const apply = (name: string, text: string) => (c: Cluster): Result<Cluster> => {
  const r = commands.applyManifests(c, [{ name, text }]);
  return r.ok ? ok(r.value.cluster) : r;
};

const SYSTEM_NS = /^kube-|-system$|^kube-flannel$/;

export function EditPanel() {
  const cluster = useApp((s) => s.cluster);
  const ready = useEditingReady(useAppStoreApi());
  if (!cluster) return <p className="panel muted">No cluster is loaded.</p>;
  if (!ready) return <p className="panel muted">Loading…</p>;
  return (
    <div className="panel edit-panel">
      <ModesSection cluster={cluster} />
      <ScaleSection cluster={cluster} />
      <LabelsSection cluster={cluster} />
      <ServiceSection cluster={cluster} />
      <PolicySection cluster={cluster} />
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="edit-section" aria-label={title}>
      <h2 className="edit-section__title">{title}</h2>
      {children}
    </section>
  );
}

function ModesSection({ cluster }: { cluster: Cluster }) {
  const store = useAppStoreApi();
  return (
    <Section title="Network plumbing">
      <div className="form-grid">
        <label className="field">
          <span className="field__label">CNI plugin</span>
          <select
            value={cluster.config.cni}
            data-testid="cni-mode"
            onChange={(e) => store.getState().applyCommand(`switch the CNI to ${e.target.value}`, (c) => commands.setCni(c, e.target.value as CniMode))}
          >
            {CNI_MODES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">kube-proxy mode</span>
          <select
            value={cluster.config.kubeProxy}
            data-testid="kube-proxy-mode"
            onChange={(e) => store.getState().applyCommand(`switch kube-proxy to ${e.target.value}`, (c) => commands.setKubeProxy(c, e.target.value as KubeProxyMode))}
          >
            {KUBE_PROXY_MODES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted hint">The same nodes and pods, re-plumbed: pod addresses come from the new plugin's IPAM.</p>
    </Section>
  );
}

function ScaleSection({ cluster }: { cluster: Cluster }) {
  const store = useAppStoreApi();
  const deployments = useMemo(() => [...cluster.workloads.values()].filter((w) => (w.kind === 'Deployment' || w.kind === 'ReplicaSet') && !SYSTEM_NS.test(w.meta.namespace ?? 'default')), [cluster]);
  const [key, setKey] = useState('');
  const chosen = deployments.find((w) => `${w.meta.namespace}/${w.meta.name}` === key) ?? deployments[0];
  // A typed count belongs to the workload it was typed for: another one (or the same one after a
  // change to the cluster) starts from its own count. Derived, so no effect resets what is typed.
  const [typed, setTyped] = useState<{ for: typeof chosen; replicas: number } | null>(null);
  const replicas = typed && typed.for === chosen ? typed.replicas : (chosen?.replicas ?? 1);
  if (!chosen) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const ns = chosen.meta.namespace ?? 'default';
    store.getState().applyCommand(`scale ${chosen.kind.toLowerCase()}/${chosen.meta.name} to ${replicas}`, (c) => commands.scaleWorkload(c, ns, chosen.meta.name, replicas));
  };
  return (
    <Section title="Scale">
      <form className="form-row" onSubmit={submit}>
        <select aria-label="Deployment" value={`${chosen.meta.namespace}/${chosen.meta.name}`} onChange={(e) => setKey(e.target.value)} data-testid="scale-target">
          {deployments.map((w) => (
            <option key={`${w.meta.namespace}/${w.meta.name}`} value={`${w.meta.namespace}/${w.meta.name}`}>
              {w.kind.toLowerCase()}/{w.meta.name} ({w.meta.namespace})
            </option>
          ))}
        </select>
        <input type="number" min={0} max={500} value={replicas} onChange={(e) => setTyped({ for: chosen, replicas: Number(e.target.value) })} aria-label="Replicas" data-testid="scale-replicas" />
        <button type="submit" className="button">
          Scale
        </button>
      </form>
    </Section>
  );
}

function LabelsSection({ cluster }: { cluster: Cluster }) {
  const store = useAppStoreApi();
  const selection = useApp((s) => s.selection);
  const targets = useMemo(
    () => [
      ...[...cluster.pods.values()].filter((p) => !SYSTEM_NS.test(p.meta.namespace ?? 'default')).map((p) => ({ id: `${p.meta.namespace}/${p.meta.name}`, kind: 'pod', ns: p.meta.namespace ?? 'default', name: p.meta.name, labels: p.meta.labels })),
      ...cluster.nodes.map((n) => ({ id: `node/${n.meta.name}`, kind: 'node', ns: '', name: n.meta.name, labels: n.meta.labels })),
    ],
    [cluster],
  );
  const [id, setId] = useState('');
  useEffect(() => {
    if (selection && targets.some((t) => t.id === selection)) setId(selection);
  }, [selection, targets]);
  const target = targets.find((t) => t.id === id) ?? targets[0];
  // As for the replica count: typed text belongs to the target it was typed for.
  const [typed, setTyped] = useState<{ for: typeof target; text: string } | null>(null);
  const text = typed && typed.for === target ? typed.text : target ? formatLabels(target.labels) : '';
  if (!target) return null;
  const parsed = parseLabels(text);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!parsed) return;
    store.getState().applyCommand(`label ${target.kind}/${target.name}`, (c) => commands.setLabels(c, target.kind, target.ns, target.name, parsed));
  };
  return (
    <Section title="Labels">
      <form className="form-col" onSubmit={submit}>
        <select aria-label="Object to label" value={target.id} onChange={(e) => setId(e.target.value)} data-testid="labels-target">
          {targets.map((t) => (
            <option key={t.id} value={t.id}>
              {t.kind}/{t.name}
              {t.ns && t.ns !== 'default' ? ` (${t.ns})` : ''}
            </option>
          ))}
        </select>
        <textarea className="mono small-text" rows={2} value={text} onChange={(e) => setTyped({ for: target, text: e.target.value })} aria-label="Labels, key=value separated by commas" aria-invalid={!parsed} data-testid="labels-text" />
        {!parsed && <span className="field-error">Write labels as key=value, separated by commas.</span>}
        <button type="submit" className="button" disabled={!parsed} data-testid="labels-apply">
          Set labels
        </button>
      </form>
    </Section>
  );
}

function ServiceSection({ cluster }: { cluster: Cluster }) {
  const store = useAppStoreApi();
  const selection = useApp((s) => s.selection);
  const selectedPod = selection ? cluster.pods.get(selection) : undefined;
  const [form, setForm] = useState<ServiceForm>({ name: 'my-service', namespace: 'default', selector: {}, port: 80, targetPort: 80, protocol: 'TCP', type: 'ClusterIP' });
  const [selectorText, setSelectorText] = useState('app=web');
  const fromSelection = () => {
    if (!selectedPod) return;
    const labels = commonLabels([selectedPod.meta.labels]);
    setSelectorText(formatLabels(labels));
    setForm((f) => ({ ...f, namespace: selectedPod.meta.namespace ?? 'default', name: labels.app ?? f.name, targetPort: selectedPod.containers[0]?.ports[0]?.containerPort ?? f.targetPort }));
  };
  const selector = parseLabels(selectorText);
  const matching = selector ? [...cluster.pods.values()].filter((p) => (p.meta.namespace ?? 'default') === form.namespace && Object.entries(selector).every(([k, v]) => p.meta.labels[k] === v)).length : 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!selector) return;
    store.getState().applyCommand(`create service ${form.name}`, apply('service.yaml', serviceManifest({ ...form, selector })));
  };
  const set = <K extends keyof ServiceForm>(k: K, v: ServiceForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  return (
    <Section title="Create a Service">
      <form className="form-col" onSubmit={submit}>
        <div className="form-grid">
          <label className="field">
            <span className="field__label">Name</span>
            <input value={form.name} onChange={(e) => set('name', e.target.value)} data-testid="svc-name" />
          </label>
          <label className="field">
            <span className="field__label">Namespace</span>
            <input value={form.namespace} onChange={(e) => set('namespace', e.target.value)} />
          </label>
          <label className="field">
            <span className="field__label">Port</span>
            <input type="number" min={1} max={65535} value={form.port} onChange={(e) => set('port', Number(e.target.value))} />
          </label>
          <label className="field">
            <span className="field__label">Target port</span>
            <input value={form.targetPort} onChange={(e) => set('targetPort', /^\d+$/.test(e.target.value) ? Number(e.target.value) : e.target.value)} />
          </label>
          <label className="field">
            <span className="field__label">Protocol</span>
            <select value={form.protocol} onChange={(e) => set('protocol', e.target.value as Protocol)}>
              <option>TCP</option>
              <option>UDP</option>
            </select>
          </label>
          <label className="field">
            <span className="field__label">Type</span>
            <select value={form.type} onChange={(e) => set('type', e.target.value as ServiceForm['type'])}>
              <option>ClusterIP</option>
              <option>NodePort</option>
              <option>LoadBalancer</option>
            </select>
          </label>
        </div>
        <label className="field">
          <span className="field__label">Selector</span>
          <input className="mono" value={selectorText} onChange={(e) => setSelectorText(e.target.value)} aria-invalid={!selector} data-testid="svc-selector" />
        </label>
        <span className="muted">{selector ? `${matching} pod${matching === 1 ? '' : 's'} match in ${form.namespace}` : 'Write the selector as key=value, separated by commas.'}</span>
        <div className="form-row">
          <button type="button" className="button" disabled={!selectedPod} onClick={fromSelection} title={selectedPod ? `Use the labels of ${selection}` : 'Select a pod on the canvas first'}>
            From selected pod
          </button>
          <button type="submit" className="button button--primary" disabled={!selector} data-testid="svc-create">
            Create Service
          </button>
        </div>
      </form>
    </Section>
  );
}

function PolicySection({ cluster }: { cluster: Cluster }) {
  const store = useAppStoreApi();
  const [name, setName] = useState('allow-client');
  const [namespace, setNamespace] = useState('default');
  const [target, setTarget] = useState('app=web');
  const [direction, setDirection] = useState<'Ingress' | 'Egress'>('Ingress');
  const [peers, setPeers] = useState('app=client');
  const [denyAll, setDenyAll] = useState(false);
  const [port, setPort] = useState('80');
  const [protocol, setProtocol] = useState<Protocol>('TCP');
  const [yamlText, setYamlText] = useState<string | null>(null);
  const targetLabels = parseLabels(target);
  const peerLabels = parseLabels(peers);
  const portNumber = port.trim() === '' ? null : Number(port);
  const valid = !!targetLabels && (denyAll || !!peerLabels) && (portNumber === null || (Number.isInteger(portNumber) && portNumber > 0 && portNumber < 65536));
  const generated = valid
    ? policyManifest({
        name,
        namespace,
        podSelector: targetLabels!,
        direction,
        peers: denyAll ? [] : [{ podLabels: peerLabels! }],
        ports: denyAll || portNumber === null ? [] : [{ protocol, port: portNumber }],
      })
    : '';
  const text = yamlText ?? generated;
  const policies = [...cluster.objects.values()].filter((o) => o.kind === 'NetworkPolicy');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text) store.getState().applyCommand(`apply NetworkPolicy ${name}`, apply('networkpolicy.yaml', text));
  };
  const remove = (ns: string, n: string) =>
    store.getState().applyCommand(`delete NetworkPolicy ${n}`, (c) => {
      const objects = new Map(c.objects);
      objects.delete(`NetworkPolicy/${ns}/${n}`);
      return ok({ ...c, objects });
    });
  return (
    <Section title="NetworkPolicy">
      <EnforcementNotice cluster={cluster} count={policies.length} />
      {policies.length > 0 && (
        <ul className="policy-list">
          {policies.map((p) => (
            <li key={`${p.meta.namespace}/${p.meta.name}`}>
              <span className="mono">
                {p.meta.namespace}/{p.meta.name}
              </span>
              <button type="button" className="button button--small" onClick={() => remove(p.meta.namespace ?? 'default', p.meta.name)} aria-label={`Delete NetworkPolicy ${p.meta.name}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="form-col" onSubmit={submit}>
        <div className="form-grid">
          <label className="field">
            <span className="field__label">Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} data-testid="np-name" />
          </label>
          <label className="field">
            <span className="field__label">Namespace</span>
            <input value={namespace} onChange={(e) => setNamespace(e.target.value)} />
          </label>
          <label className="field">
            <span className="field__label">Applies to pods</span>
            <input className="mono" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="(all pods)" data-testid="np-target" />
          </label>
          <label className="field">
            <span className="field__label">Direction</span>
            <select value={direction} onChange={(e) => setDirection(e.target.value as 'Ingress' | 'Egress')}>
              <option>Ingress</option>
              <option>Egress</option>
            </select>
          </label>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={denyAll} onChange={(e) => setDenyAll(e.target.checked)} data-testid="np-deny" /> Deny all {direction === 'Ingress' ? 'incoming' : 'outgoing'} traffic
        </label>
        {!denyAll && (
          <div className="form-grid">
            <label className="field">
              <span className="field__label">{direction === 'Ingress' ? 'Allow from pods' : 'Allow to pods'}</span>
              <input className="mono" value={peers} onChange={(e) => setPeers(e.target.value)} data-testid="np-peers" />
            </label>
            <label className="field">
              <span className="field__label">Port</span>
              <div className="form-row">
                <select value={protocol} onChange={(e) => setProtocol(e.target.value as Protocol)} aria-label="Protocol">
                  <option>TCP</option>
                  <option>UDP</option>
                </select>
                <input value={port} onChange={(e) => setPort(e.target.value)} placeholder="any" aria-label="Port" />
              </div>
            </label>
          </div>
        )}
        <details onToggle={(e) => !(e.target as HTMLDetailsElement).open && setYamlText(null)}>
          <summary>Edit as YAML</summary>
          <textarea className="mono small-text" rows={12} value={text} onChange={(e) => setYamlText(e.target.value)} aria-label="NetworkPolicy YAML" spellCheck={false} data-testid="np-yaml" />
          {yamlText !== null && (
            <button type="button" className="button button--small" onClick={() => setYamlText(null)}>
              Back to the form's YAML
            </button>
          )}
        </details>
        <button type="submit" className="button button--primary" disabled={!text} data-testid="np-apply">
          Apply policy
        </button>
      </form>
    </Section>
  );
}

/**
 * Whether the policies here will do anything (issue 13 point 1): under a CNI that does not
 * enforce NetworkPolicy (flannel, the VPC CNI without its controller) a warning says so before
 * and after a policy is applied, with a way to a CNI that does; otherwise who enforces them.
 */
function EnforcementNotice({ cluster, count }: { cluster: Cluster; count: number }) {
  const store = useAppStoreApi();
  const because = notEnforcedBecause(cluster);
  if (!because) {
    return (
      <p className="muted hint" data-testid="np-enforcement">
        Enforced: {enforcementOf(cluster).description}.
      </p>
    );
  }
  return (
    <div className="np-unenforced" role="note" data-testid="np-enforcement">
      <p>
        <strong>⚠ Not enforced:</strong> {because}.{' '}
        {count > 0 ? `The ${count === 1 ? 'policy below is' : `${count} policies below are`} stored and listed, but all traffic still flows.` : 'A policy applied here is stored and listed, but all traffic still flows.'}
      </p>
      <button type="button" className="button button--small" onClick={() => store.getState().applyCommand('switch the CNI to calico', (c) => commands.setCni(c, 'calico'))} data-testid="np-switch-calico">
        Switch to Calico (enforces NetworkPolicy)
      </button>
    </div>
  );
}
