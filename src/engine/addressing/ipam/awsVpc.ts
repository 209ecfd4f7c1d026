/**
 * AWS VPC CNI IPAM (ipamd): pod IPs are secondary private IPs of the node's ENI, taken from the
 * node's subnet (our node network). EC2 picks the addresses it assigns to an ENI; we model that
 * as a random free address of the subnet (seeded), never one of the five addresses AWS
 * reserves in every subnet: the network address, `.1` (VPC router), `.2` (DNS), `.3` (future
 * use) and the broadcast address (AWS VPC user guide, "Subnet CIDR blocks").
 * Approximation: ipamd's warm pool (IPs attached ahead of pods, kept for a cooldown after a pod
 * goes) and secondary ENIs are not modelled; a released IP goes straight back to the subnet.
 */
import { formatIpv4, type Ipv4 } from '../ipv4';
import type { ClusterConfig, NodeRec } from '../../model/cluster';
import type { Rng } from '../../sim/rng';
import { ipFail, ipOk, type IpamResult, type PodIpam } from './podIpam';
import { RandomScanRange } from './randomScan';

/** ipamd's error when no secondary IP can be assigned (datastore AssignPodIPv4Address). */
export const AWS_NO_IP = 'add cmd: failed to assign an IP address to container';

export class AwsVpcIpam implements PodIpam {
  private readonly subnet: RandomScanRange;

  constructor(
    private readonly config: ClusterConfig,
    private readonly rng: Rng,
  ) {
    const net = config.nodeNetwork;
    this.subnet = new RandomScanRange(net.network + 4, Math.max(0, net.size - 5));
  }

  /** Addresses the node network hands out to nodes must not collide with pod IPs. */
  isTaken(ip: Ipv4): boolean {
    return this.subnet.has(ip);
  }

  setupNode(node: NodeRec): IpamResult<void> {
    this.subnet.take(node.ip);
    node.podCIDR ??= null;
    return ipOk(undefined);
  }

  loadNode(node: NodeRec): void {
    this.subnet.take(node.ip);
  }

  dropNode(node: NodeRec): void {
    this.subnet.release(node.ip);
  }

  use(_node: NodeRec, ip: Ipv4): void {
    this.subnet.take(ip);
  }

  reserve(node: NodeRec, ip: Ipv4): IpamResult<void> {
    const text = formatIpv4(ip);
    if (this.subnet.offsetOf(ip) === null) {
      return ipFail(`Invalid value: "${text}": is not in the node's range: not an assignable address of the VPC subnet ${this.config.nodeNetwork.toString()} (node ${node.meta.name})`);
    }
    if (!this.subnet.take(ip)) return ipFail(`Invalid value: "${text}": address ${text} is already in use in subnet ${this.config.nodeNetwork.toString()}`);
    return ipOk(undefined);
  }

  allocate(): IpamResult {
    const ip = this.subnet.next(this.rng);
    return ip === null ? ipFail(AWS_NO_IP) : ipOk(ip);
  }

  release(_node: NodeRec, ip: Ipv4): void {
    this.subnet.release(ip);
  }

  exportState() {
    return { lastReserved: {}, blockFree: {} };
  }
}
