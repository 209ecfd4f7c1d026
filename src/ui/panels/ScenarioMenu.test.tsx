// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exampleText, publicFile, renderApp } from '../testing/renderApp';
import { Notices } from './Notices';
import { ScenarioMenu } from './ScenarioMenu';

/** The app fetches `${BASE_URL}examples/…` from public/; serve those files from disk. */
function servePublic() {
  const fetch = vi.fn(async (url: string | URL) => {
    const path = String(url).replace(/^.*?(examples\/)/, '$1');
    try {
      return new Response(publicFile(path), { status: 200 });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const renderMenu = (text?: string) =>
  renderApp(
    <>
      <ScenarioMenu />
      <Notices />
    </>,
    { text },
  );

const EXAMPLES = ['Two nodes on Flannel VXLAN', 'Calico BGP', 'Three-tier app with Services', 'Ingress controller', 'NetworkPolicy lab', 'AKS: Azure CNI (node subnet)', 'AKS: Azure CNI Overlay', 'GKE VPC-native, Dataplane V2'];

beforeEach(() => {
  servePublic();
});
afterEach(() => vi.unstubAllGlobals());

describe('ScenarioMenu', () => {
  it('the toolbar has named actions; Undo and Redo start disabled', () => {
    renderMenu();
    const bar = screen.getByRole('toolbar', { name: 'Scenario' });
    for (const name of ['Undo', 'Redo', 'Import', 'Export', 'Linux lab']) expect(within(bar).getByRole('button', { name })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Undo' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Redo' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('the Examples menu lists every built-in example from examples/index.json', async () => {
    const user = userEvent.setup();
    renderMenu();
    const summary = screen.getByText('Examples');
    await user.click(summary);
    expect((summary.closest('details') as HTMLDetailsElement).open).toBe(true);
    const list = await waitFor(() => {
      const items = within(summary.closest('details')!).getAllByRole('button');
      expect(items).toHaveLength(EXAMPLES.length);
      return items;
    });
    expect(list.map((b) => b.querySelector('strong')?.textContent)).toEqual(EXAMPLES);
    expect(list[4].textContent).toContain('default-deny and one allow rule on Calico');
  });

  it('opening an example replaces the cluster; Undo names it and brings the demo back; Redo reopens it', async () => {
    const user = userEvent.setup();
    const { store } = renderMenu();
    expect(store.getState().cluster!.config.name).toBe('demo');
    await user.click(screen.getByText('Examples'));
    await user.click(await screen.findByRole('button', { name: /^NetworkPolicy lab/ }));

    await waitFor(() => expect(store.getState().cluster!.config.name).toBe('policy-lab'));
    expect(store.getState().cluster!.config.cni).toBe('calico');
    expect(store.getState().appliedText).toBe(exampleText('policy-lab.yaml'));
    expect((screen.getByText('Examples').closest('details') as HTMLDetailsElement).open).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Undo open the example “NetworkPolicy lab”' }));
    expect(store.getState().cluster!.config.name).toBe('demo');
    await user.click(screen.getByRole('button', { name: 'Redo open the example “NetworkPolicy lab”' }));
    expect(store.getState().cluster!.config.name).toBe('policy-lab');
  });

  it('an example that cannot be fetched gives an error notice', async () => {
    const user = userEvent.setup();
    const { store } = renderMenu();
    vi.stubGlobal('fetch', vi.fn(async (url: string | URL) => (String(url).endsWith('index.json') ? new Response(publicFile('examples/index.json')) : new Response('', { status: 503 }))));
    // The stub above only serves later fetches; the index was already fetched on mount.
    await user.click(screen.getByText('Examples'));
    await user.click(await screen.findByRole('button', { name: /^Calico BGP/ }));
    expect((await screen.findByRole('alert')).textContent).toContain('Could not fetch the example calico-bgp.yaml: HTTP 503');
    expect(store.getState().cluster!.config.name).toBe('demo');
  });

  it('importing a file that is not a scenario keeps the work and says why', async () => {
    const user = userEvent.setup();
    const { store } = renderMenu();
    const before = store.getState().cluster;
    const bad = new File(['apiVersion: podpath/v1alpha1\nkind: Cluster\nspec: [oops\n'], 'bad.yaml', { type: 'application/yaml' });
    // The Import button opens the (hidden) file input's chooser; the chosen file arrives there.
    await user.upload(screen.getByTestId('import-input') as HTMLInputElement, bad);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('the file bad.yaml did not load; your work is unchanged.');
    expect(alert.textContent).toContain('bad.yaml:');
    expect(store.getState().cluster).toBe(before);
    expect((screen.getByRole('button', { name: 'Undo' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('importing a good file opens it, with an info notice about undo', async () => {
    const user = userEvent.setup();
    const { store } = renderMenu();
    const good = new File([exampleText('calico-bgp.yaml')], 'calico-bgp.yaml', { type: 'application/yaml' });
    await user.upload(screen.getByTestId('import-input') as HTMLInputElement, good);
    expect((await screen.findByRole('status')).textContent).toContain('Opened calico-bgp.yaml. Undo (Ctrl+Z) brings back what you had before.');
    expect(store.getState().cluster!.config.cni).toBe('calico');
    expect(screen.getByRole('button', { name: 'Undo open the file calico-bgp.yaml' })).toBeTruthy();
  });

  it('refuses a file over the size cap before reading it', async () => {
    const user = userEvent.setup();
    const { store } = renderMenu();
    const huge = new File(['#'.repeat(2_000_001)], 'huge.yaml');
    await user.upload(screen.getByTestId('import-input') as HTMLInputElement, huge);
    expect((await screen.findByRole('alert')).textContent).toContain('The file huge.yaml is too large (2,000,001 characters; the limit is 2,000,000). Nothing was loaded.');
    expect(store.getState().cluster!.config.name).toBe('demo');
  });
});
