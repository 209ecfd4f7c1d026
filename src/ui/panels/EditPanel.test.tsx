// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatIpv4 } from '../../engine/addressing/ipv4';
import type { AppStore } from '../store';
import { renderApp } from '../testing/renderApp';
import { EditPanel } from './EditPanel';
import { Notices } from './Notices';
import { ScenarioMenu } from './ScenarioMenu';

const clientIp = (store: AppStore) => formatIpv4(store.getState().cluster!.pods.get('default/client')!.attachment!.ip);
const webPods = (store: AppStore) => [...store.getState().cluster!.pods.keys()].filter((k) => k.startsWith('default/web-'));
const section = (name: string) => screen.getByRole('region', { name });

/** The panel with the top bar (for Undo) and the message line, as in the app, once its edit commands have loaded. */
async function renderEdit() {
  const rendered = renderApp(
    <>
      <ScenarioMenu />
      <Notices />
      <EditPanel />
    </>,
  );
  await waitFor(() => expect(screen.queryByText('Loading…')).toBeNull());
  return rendered;
}

// ScenarioMenu fetches the examples index on mount; nothing to list here.
beforeEach(() => vi.stubGlobal('fetch', vi.fn(async () => new Response('[]', { status: 200 }))));
afterEach(() => vi.unstubAllGlobals());

describe('EditPanel', () => {
  it('switching the CNI re-plumbs the cluster; Undo restores Flannel and the old addresses', async () => {
    const user = userEvent.setup();
    const { store } = await renderEdit();
    expect(store.getState().cluster!.config.cni).toBe('flannel');
    expect(clientIp(store)).toBe('10.244.1.5');
    const cni = screen.getByRole('combobox', { name: 'CNI plugin' }) as HTMLSelectElement;
    expect(cni.value).toBe('flannel');

    await user.selectOptions(cni, 'calico');
    expect(store.getState().cluster!.config.cni).toBe('calico');
    expect(cni.value).toBe('calico');
    expect(clientIp(store)).not.toBe('10.244.1.5');
    expect(store.getState().scenarioText).toMatch(/cni: calico/);

    await user.click(screen.getByRole('button', { name: 'Undo switch the CNI to calico' }));
    expect(store.getState().cluster!.config.cni).toBe('flannel');
    expect(clientIp(store)).toBe('10.244.1.5');
    expect(cni.value).toBe('flannel');
    expect((screen.getByRole('button', { name: 'Undo' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('switching kube-proxy to ipvs changes the cluster config', async () => {
    const user = userEvent.setup();
    const { store } = await renderEdit();
    await user.selectOptions(screen.getByRole('combobox', { name: 'kube-proxy mode' }), 'ipvs');
    expect(store.getState().cluster!.config.kubeProxy).toBe('ipvs');
  });

  it('scales the web Deployment from 3 to 5 pods, and undo brings back 3', async () => {
    const user = userEvent.setup();
    const { store } = await renderEdit();
    expect(webPods(store)).toHaveLength(3);
    const scale = section('Scale');
    expect((within(scale).getByRole('combobox', { name: 'Deployment' }) as HTMLSelectElement).value).toBe('default/web');
    const replicas = within(scale).getByRole('spinbutton', { name: 'Replicas' });
    await user.clear(replicas);
    await user.type(replicas, '5');
    await user.click(within(scale).getByRole('button', { name: 'Scale' }));
    expect(webPods(store)).toHaveLength(5);
    expect(store.getState().cluster!.workloads.get('Deployment/default/web')?.replicas).toBe(5);

    await user.click(screen.getByRole('button', { name: 'Undo scale deployment/web to 5' }));
    expect(webPods(store)).toHaveLength(3);
  });

  it('sets labels on a node', async () => {
    const user = userEvent.setup();
    const { store } = await renderEdit();
    const labels = section('Labels');
    await user.selectOptions(within(labels).getByRole('combobox', { name: 'Object to label' }), 'node/worker-2');
    const text = within(labels).getByRole('textbox', { name: 'Labels, key=value separated by commas' });
    await user.clear(text);
    await user.type(text, 'zone=b, disk=ssd');
    await user.click(within(labels).getByRole('button', { name: 'Set labels' }));
    const node = store.getState().cluster!.nodes.find((n) => n.meta.name === 'worker-2')!;
    expect(node.meta.labels).toMatchObject({ zone: 'b', disk: 'ssd' });
  });

  it('refuses badly written labels', async () => {
    const user = userEvent.setup();
    await renderEdit();
    const labels = section('Labels');
    const text = within(labels).getByRole('textbox', { name: 'Labels, key=value separated by commas' });
    await user.clear(text);
    await user.type(text, 'no equals sign');
    expect(text.getAttribute('aria-invalid')).toBe('true');
    expect(within(labels).getByText('Write labels as key=value, separated by commas.')).toBeTruthy();
    expect((within(labels).getByRole('button', { name: 'Set labels' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('creates a ClusterIP Service over the web pods', async () => {
    const user = userEvent.setup();
    const { store } = await renderEdit();
    const svc = section('Create a Service');
    expect(within(svc).getByText('3 pods match in default')).toBeTruthy();
    const name = within(svc).getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'web2');
    await user.click(within(svc).getByRole('button', { name: 'Create Service' }));
    const created = [...store.getState().cluster!.objects.values()].find((o) => o.kind === 'Service' && o.meta.name === 'web2');
    expect(created?.meta.namespace).toBe('default');
  });

  it('applies a NetworkPolicy from the form and deletes it again', async () => {
    const user = userEvent.setup();
    const { store } = await renderEdit();
    const policy = section('NetworkPolicy');
    await user.click(within(policy).getByRole('button', { name: 'Apply policy' }));
    expect(store.getState().cluster!.objects.has('NetworkPolicy/default/allow-client')).toBe(true);

    await user.click(within(section('NetworkPolicy')).getByRole('button', { name: 'Delete NetworkPolicy allow-client' }));
    expect(store.getState().cluster!.objects.has('NetworkPolicy/default/allow-client')).toBe(false);
  });

  it('a policy YAML the engine refuses shows an error notice and leaves the cluster alone', async () => {
    const user = userEvent.setup();
    const { store } = await renderEdit();
    const before = store.getState().cluster;
    const policy = section('NetworkPolicy');
    const yaml = within(policy).getByRole('textbox', { name: 'NetworkPolicy YAML' });
    await user.clear(yaml);
    await user.click(yaml);
    await user.paste('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec: [not, a, mapping\n');
    await user.click(within(policy).getByRole('button', { name: 'Apply policy' }));
    expect(store.getState().cluster).toBe(before);
    // kubectl's wording for a YAML syntax error, with the file and line.
    expect(screen.getByRole('alert').textContent).toMatch(/networkpolicy\.yaml:5.*unexpected end of the stream within a flow collection/);
  });
});
