/** Mode name → plugin. Each plugin module exports its plugin objects. */
import type { CniMode } from '../model/cluster';
import type { CniPlugin } from './plugin';
import { flannelPlugin, flannelHostGwPlugin } from './flannel';
import { calicoPlugin, calicoIpipPlugin, calicoVxlanPlugin } from './calico';
import { ciliumPlugin, ciliumNativePlugin } from './cilium';
import { weavePlugin } from './weave';
import { awsVpcPlugin } from './awsVpc';
import { azureCniPlugin, azureCniOverlayPlugin } from './azure';
import { gkeDataplaneV2Plugin, gkePlugin } from './gke';

// Built on first use, not at module evaluation: common.ts → network.ts → registry.ts → a
// plugin module → common.ts is an import cycle, and a plugin imported first (as its own test
// does) would otherwise still be uninitialized when this table was built.
let PLUGINS: Record<CniMode, CniPlugin> | undefined;

export function pluginFor(mode: CniMode): CniPlugin {
  PLUGINS ??= {
    flannel: flannelPlugin,
    'flannel-host-gw': flannelHostGwPlugin,
    calico: calicoPlugin,
    'calico-ipip': calicoIpipPlugin,
    'calico-vxlan': calicoVxlanPlugin,
    cilium: ciliumPlugin,
    'cilium-native': ciliumNativePlugin,
    weave: weavePlugin,
    'aws-vpc': awsVpcPlugin,
    'azure-cni': azureCniPlugin,
    'azure-cni-overlay': azureCniOverlayPlugin,
    gke: gkePlugin,
    'gke-dataplane-v2': gkeDataplaneV2Plugin,
  };
  return PLUGINS[mode];
}
