/** Mode name → plugin. Each plugin module exports its plugin objects. */
import type { CniMode } from '../model/cluster';
import type { CniPlugin } from './plugin';
import { flannelPlugin, flannelHostGwPlugin } from './flannel';
import { calicoPlugin, calicoIpipPlugin, calicoVxlanPlugin } from './calico';
import { ciliumPlugin, ciliumNativePlugin } from './cilium';
import { weavePlugin } from './weave';
import { awsVpcPlugin } from './awsVpc';

const PLUGINS: Record<CniMode, CniPlugin> = {
  flannel: flannelPlugin,
  'flannel-host-gw': flannelHostGwPlugin,
  calico: calicoPlugin,
  'calico-ipip': calicoIpipPlugin,
  'calico-vxlan': calicoVxlanPlugin,
  cilium: ciliumPlugin,
  'cilium-native': ciliumNativePlugin,
  weave: weavePlugin,
  'aws-vpc': awsVpcPlugin,
};

export function pluginFor(mode: CniMode): CniPlugin {
  return PLUGINS[mode];
}
