/**
 * The fixed addresses of the world outside the cluster. Documentation ranges (RFC 5737) are
 * used wherever an address is ours to pick, so nothing here collides with a real network:
 * - the Internet segment the external client sits on: 198.51.100.0/24 (TEST-NET-2);
 * - the cloud's load-balancer segment: 203.0.113.0/24 (TEST-NET-3), the pool services/lbPool.ts
 *   hands LoadBalancer IPs out of (from .1 up); the gateway takes the last address, .254.
 * The node network's gateway is its first address (192.168.1.1 by default), the address every
 * node's default route names (cni/common.ts baseNodeNetns).
 */
import { Cidr, parseIpv4, type Ipv4 } from '../addressing/ipv4';
import { LOAD_BALANCER_POOL } from '../services/lbPool';

const ip = (text: string): Ipv4 => parseIpv4(text)!;

export const INTERNET_SEGMENT = 'internet';
export const CLOUD_LB_SEGMENT = 'cloud-lb';

export const INTERNET_CIDR = Cidr.parse('198.51.100.0/24')!;
/** The gateway router's address on the Internet side. */
export const GATEWAY_INTERNET_IP = ip('198.51.100.1');
/** The external client (`podpath trace external …`, curl on the workstation). */
export const CLIENT_IP = ip('198.51.100.10');
/** "The rest of the Internet": one router that owns the public hosts below. */
export const INTERNET_ROUTER_IP = ip('198.51.100.254');

export const CLOUD_LB_CIDR = LOAD_BALANCER_POOL;
/** The gateway's address on the load-balancer segment (the pool hands out from .1, so the top end is free). */
export const GATEWAY_CLOUD_IP = CLOUD_LB_CIDR.nth(254);

/**
 * Public hosts that answer in the simulated Internet: the well-known resolvers and the
 * addresses dns/upstream.ts gives its public names (google.com, www.google.com, example.com,
 * kubernetes.io). Any other public address is unreachable (ICMP net unreachable from the
 * Internet router), so a typo shows up as such instead of a silent success.
 */
export const PUBLIC_HOSTS: Ipv4[] = ['8.8.8.8', '8.8.4.4', '1.1.1.1', '1.0.0.1', '142.250.185.78', '142.250.185.100', '93.184.216.34', '147.75.40.148'].map(ip);

/** Ranges the Internet does not route (RFC 1918, RFC 6598 shared space). */
export const PRIVATE_RANGES: Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) => Cidr.parse(c)!);
