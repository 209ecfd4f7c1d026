/**
 * Each CNI's SNAT of pod traffic leaving the cluster network, as the rules the plugin installs:
 * - flannel (--ip-masq, the kube-flannel.yml default): nat FLANNEL-POSTRTG (flannel
 *   pkg/trafficmngr/iptables masqRules; golden in flannel's e2e check_iptables), and filter
 *   FLANNEL-FWD accepting the pod network (forwardRules).
 * - calico (default IPPool natOutgoing: true): nat cali-POSTROUTING → cali-nat-outgoing,
 *   `-m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40all-ipam-pools dst
 *   -j MASQUERADE --random-fully` (felix rules/nat.go; rule ids as Felix hashes them), plus the
 *   tunnel-device source fix-up on tunl0 / vxlan.calico.
 * - cilium: BPF masquerading (bpf.masquerade=true with kube-proxy replacement) has no iptables
 *   rules; the SNAT happens in the BPF program on eth0 (bpf_host.c to-netdev, snat_v4_nat) and
 *   is reported by `masqueradeBy` as such. With iptables masquerading (kube-proxy present) the
 *   agent writes CILIUM_POST_nat `-s POD_CIDR ! -d NATIVE_CIDR ! -o cilium_+ -j MASQUERADE`.
 * - aws-vpc: AWS-SNAT-CHAIN-0 (amazon-vpc-cni-k8s pkg/networkutils setupSNAT): traffic to
 *   outside the VPC CIDR is SNATed to the node's primary ENI address.
 * - azure-cni*: azure-ip-masq-agent (ip-masq-agent-v2): POSTROUTING `-m addrtype ! --dst-type
 *   LOCAL -j IP-MASQ-AGENT` (its comment carries literal quotes on AKS), one RETURN per
 *   nonMasqueradeCIDR, then MASQUERADE. AKS's reconciled config: node subnet, Service CIDR and
 *   VNet for Azure CNI (an AKS node's iptables-save and azure-ip-masq-agent-config-reconciled:
 *   10.224.0.0/16, 10.0.0.0/16, 10.224.0.0/12, masqLinkLocal true); the overlay CIDR alone for
 *   the overlay, so pod traffic to the VNet leaves with the node's address (AKS docs, Azure CNI
 *   Overlay: "traffic ... to destinations outside the cluster ... is SNATed to the node IP").
 * - gke, gke-dataplane-v2: GKE's ip-masq-agent IP-MASQ chain (a GKE node's `iptables -S -t nat`):
 *   the reserved ranges (RFC 1918 and friends) RETURN, everything else MASQUERADEs to the node.
 * - weave: WEAVE chain, `! -s ALLOC -d ALLOC -j MASQUERADE` and `-s ALLOC ! -d ALLOC -j MASQUERADE`.
 */
import { Cidr, type Ipv4 } from '../addressing/ipv4';
import type { Cluster, NodeRec } from '../model/cluster';
import type { Match, Rule } from '../kubeproxy/rules';

export interface MasqueradeRules {
  nat: Rule[];
  filter: Rule[];
  /** ipsets the rules reference (Calico's IPAM pool sets). */
  ipsets: Map<string, Cidr[]>;
  /** When SNAT is done outside iptables (Cilium BPF masquerade), who does it. */
  bpf?: { device: string; detail: string };
}

const MULTICAST = new Cidr(0xe0000000, 4);
const comment = (text: string): Match => ({ m: 'comment', text });

/** The Calico IPAM pools (cali40all-ipam-pools): the cluster's pod CIDR as the default IPPool. */
function calicoPools(cluster: Cluster): Cidr[] {
  return [cluster.config.podCIDR];
}

export function masqueradeRules(cluster: Cluster, node: NodeRec): MasqueradeRules {
  const cni = cluster.config.cni;
  const net = cluster.config.podCIDR;
  const none: MasqueradeRules = { nat: [], filter: [], ipsets: new Map() };
  if (cni.startsWith('flannel')) {
    const lease = node.podCIDR ?? net;
    const fm = comment('flanneld masq');
    const ff = comment('flanneld forward');
    return {
      ...none,
      nat: [
        { chain: 'POSTROUTING', matches: [fm], target: { t: 'jump', chain: 'FLANNEL-POSTRTG' } },
        { chain: 'FLANNEL-POSTRTG', matches: [{ m: 'mark', value: 0x4000, mask: 0x4000 }, fm], target: { t: 'RETURN' } },
        { chain: 'FLANNEL-POSTRTG', s: { cidr: lease }, d: { cidr: net }, matches: [fm], target: { t: 'RETURN' } },
        { chain: 'FLANNEL-POSTRTG', s: { cidr: net }, d: { cidr: lease }, matches: [fm], target: { t: 'RETURN' } },
        { chain: 'FLANNEL-POSTRTG', s: { cidr: net, neg: true }, d: { cidr: lease }, matches: [fm], target: { t: 'RETURN' } },
        { chain: 'FLANNEL-POSTRTG', s: { cidr: net }, d: { cidr: MULTICAST, neg: true }, matches: [fm], target: { t: 'MASQUERADE', randomFully: true } },
        { chain: 'FLANNEL-POSTRTG', s: { cidr: net, neg: true }, d: { cidr: net }, matches: [fm], target: { t: 'MASQUERADE', randomFully: true } },
      ],
      filter: [
        { chain: 'FORWARD', matches: [ff], target: { t: 'jump', chain: 'FLANNEL-FWD' } },
        { chain: 'FLANNEL-FWD', s: { cidr: net }, matches: [ff], target: { t: 'ACCEPT' } },
        { chain: 'FLANNEL-FWD', d: { cidr: net }, matches: [ff], target: { t: 'ACCEPT' } },
      ],
    };
  }
  if (cni.startsWith('calico')) {
    const pools = calicoPools(cluster);
    const tunnelDev = cni === 'calico-ipip' ? 'tunl0' : cni === 'calico-vxlan' ? 'vxlan.calico' : undefined;
    const nat: Rule[] = [
      { chain: 'POSTROUTING', matches: [comment('cali:O3lYWMrLQYEMJtB5')], target: { t: 'jump', chain: 'cali-POSTROUTING' } },
      { chain: 'cali-POSTROUTING', matches: [comment('cali:Z-c7XtVd2Bq7s_hA')], target: { t: 'jump', chain: 'cali-fip-snat' } },
      { chain: 'cali-POSTROUTING', matches: [comment('cali:nYKhEzDlr11Jccal')], target: { t: 'jump', chain: 'cali-nat-outgoing' } },
    ];
    if (tunnelDev) {
      // Felix's rule id for this rule depends on the device; these are the ids Felix computes for tunl0 and vxlan.calico.
      nat.push({
        chain: 'cali-POSTROUTING',
        o: { name: tunnelDev },
        matches: [comment(tunnelDev === 'tunl0' ? 'cali:SXWvdsbh4Mw7wOln' : 'cali:e9dnSgSVNmIcpVhP'), { m: 'addrtype', srcType: 'LOCAL', neg: true, limitIfaceOut: true }, { m: 'addrtype', srcType: 'LOCAL' }],
        target: { t: 'MASQUERADE', randomFully: true },
      });
    }
    nat.push({
      chain: 'cali-nat-outgoing',
      matches: [comment('cali:flqWnvo8yq4ULQLa'), { m: 'set', name: 'cali40masq-ipam-pools', flags: 'src' }, { m: 'set', name: 'cali40all-ipam-pools', flags: 'dst', neg: true }],
      target: { t: 'MASQUERADE', randomFully: true },
    });
    return { nat, filter: [], ipsets: new Map([['cali40masq-ipam-pools', pools], ['cali40all-ipam-pools', pools]]) };
  }
  if (cni === 'gke' || cni === 'gke-dataplane-v2') return { ...none, nat: ipMasqAgentRules() };
  if (cni.startsWith('cilium')) {
    if (cluster.config.kubeProxy === 'none') return { ...none, bpf: { device: 'eth0', detail: 'BPF masquerade (bpf_host.c to-netdev snat_v4_nat): pod traffic leaving the cluster is SNATed to the node IP' } };
    const podRange = node.podCIDR ?? net;
    return {
      ...none,
      nat: [
        { chain: 'POSTROUTING', matches: [comment('cilium-feeder: CILIUM_POST_nat')], target: { t: 'jump', chain: 'CILIUM_POST_nat' } },
        { chain: 'CILIUM_POST_nat', s: { cidr: podRange }, d: { cidr: net, neg: true }, o: { name: 'cilium_+', neg: true }, matches: [comment('cilium masquerade non-cluster')], target: { t: 'MASQUERADE' } },
      ],
    };
  }
  if (cni === 'aws-vpc') {
    const vpc = cluster.config.nodeNetwork;
    const c = comment('AWS SNAT CHAIN');
    return {
      ...none,
      nat: [
        { chain: 'POSTROUTING', matches: [c], target: { t: 'jump', chain: 'AWS-SNAT-CHAIN-0' } },
        { chain: 'AWS-SNAT-CHAIN-0', d: { cidr: vpc }, matches: [c], target: { t: 'RETURN' } },
        { chain: 'AWS-SNAT-CHAIN-0', o: { name: 'vlan+', neg: true }, matches: [comment('AWS, SNAT'), { m: 'addrtype', dstType: 'LOCAL', neg: true }], target: { t: 'SNAT', ip: node.ip, randomFully: true } },
      ],
    };
  }
  if (cni === 'azure-cni' || cni === 'azure-cni-overlay') {
    const c = cluster.config;
    const keep = cni === 'azure-cni' ? [c.nodeNetwork, c.serviceCIDR, c.vnetCIDR ?? c.nodeNetwork] : [c.podCIDR];
    const local = comment('ip-masq-agent: local traffic is not subject to MASQUERADE');
    return {
      ...none,
      nat: [
        {
          chain: 'POSTROUTING',
          matches: [comment('"ip-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom IP-MASQ-AGENT chain"'), { m: 'addrtype', dstType: 'LOCAL', neg: true }],
          target: { t: 'jump', chain: 'IP-MASQ-AGENT' },
        },
        ...keep.map((cidr): Rule => ({ chain: 'IP-MASQ-AGENT', d: { cidr }, matches: [local], target: { t: 'RETURN' } })),
        { chain: 'IP-MASQ-AGENT', matches: [comment('ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)')], target: { t: 'MASQUERADE' } },
      ],
    };
  }
  if (cni === 'weave') {
    const alloc = net;
    return {
      ...none,
      nat: [
        { chain: 'POSTROUTING', matches: [], target: { t: 'jump', chain: 'WEAVE' } },
        { chain: 'WEAVE', s: { cidr: alloc }, d: { cidr: new Cidr(0xe0000000, 4) }, matches: [], target: { t: 'RETURN' } },
        { chain: 'WEAVE', s: { cidr: alloc, neg: true }, d: { cidr: alloc }, matches: [], target: { t: 'MASQUERADE' } },
        { chain: 'WEAVE', s: { cidr: alloc }, d: { cidr: alloc, neg: true }, matches: [], target: { t: 'MASQUERADE' } },
      ],
    };
  }
  return none;
}

/** ip-masq-agent's default non-masquerade destinations, in its order, with the comment it writes for each. */
const IP_MASQ_RESERVED: [string, string][] = [
  ['169.254.0.0/16', 'local traffic is not subject to MASQUERADE'],
  ['10.0.0.0/8', 'RFC 1918 reserved range is not subject to MASQUERADE'],
  ['172.16.0.0/12', 'RFC 1918 reserved range is not subject to MASQUERADE'],
  ['192.168.0.0/16', 'RFC 1918 reserved range is not subject to MASQUERADE'],
  ['240.0.0.0/4', 'RFC 5735 reserved range is not subject to MASQUERADE'],
  ['192.0.2.0/24', 'RFC 5737 reserved range is not subject to MASQUERADE'],
  ['198.51.100.0/24', 'RFC 5737 reserved range is not subject to MASQUERADE'],
  ['203.0.113.0/24', 'RFC 5737 reserved range is not subject to MASQUERADE'],
  ['100.64.0.0/10', 'RFC 6598 reserved range is not subject to MASQUERADE'],
  ['198.18.0.0/15', 'RFC 6815 reserved range is not subject to MASQUERADE'],
  ['192.0.0.0/24', 'RFC 6890 reserved range is not subject to MASQUERADE'],
  ['192.88.99.0/24', 'RFC 7526 reserved range is not subject to MASQUERADE'],
];

function ipMasqAgentRules(): Rule[] {
  return [
    { chain: 'POSTROUTING', matches: [comment('ip-masq: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom IP-MASQ chain'), { m: 'addrtype', dstType: 'LOCAL', neg: true }], target: { t: 'jump', chain: 'IP-MASQ' } },
    ...IP_MASQ_RESERVED.map(([c, why]): Rule => ({ chain: 'IP-MASQ', d: { cidr: Cidr.parse(c)! }, matches: [comment(`ip-masq: ${why}`)], target: { t: 'RETURN' } })),
    { chain: 'IP-MASQ', matches: [comment('ip-masq: outbound traffic is subject to MASQUERADE (must be last in chain)')], target: { t: 'MASQUERADE' } },
  ];
}

/** The address a MASQUERADE picks: the outgoing device's primary address, else the node IP. */
export function masqueradeSource(devAddr: Ipv4 | undefined, node: NodeRec): Ipv4 {
  return devAddr ?? node.ip;
}
