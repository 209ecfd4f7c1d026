/** The Service table CoreDNS reads: the shared one (services/table.ts), as kube-proxy and kubectl see it. */
export { servicesOf as serviceTableOf } from '../services/table';
