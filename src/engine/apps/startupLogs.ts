/**
 * What a container printed when it started, by image, stamped with the pod's creation time:
 * CoreDNS (the server block, the reload plugin's Corefile digest, version and build), the
 * nginx image's docker-entrypoint and master process notices, http-echo and whoami's banners.
 */
import type { Cluster, ContainerSpec, PodRec } from '../model/cluster';
import { createdAt } from '../sim/clock';
import { corefileOf } from '../dns/corefile';
import { sha512Hex } from '../dns/sha512';
import { appOf, nginxVersion } from './catalog';
import { logStamp } from './http';

export function startupLogs(cluster: Cluster, pod: PodRec, c: ContainerSpec): string[] {
  const t = createdAt(pod.meta) + 5;
  const app = appOf(c);
  switch (app.kind) {
    case 'coredns':
      // coredns/coredns v1.11.3: built with go1.21.11 from commit a6338e9.
      return ['.:53', `[INFO] plugin/reload: Running configuration SHA512 = ${sha512Hex(corefileOf(cluster).text)}`, 'CoreDNS-1.11.3', 'linux/amd64, go1.21.11, a6338e9'];
    case 'nginx': {
      const stamp = logStamp(t);
      return [
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
        '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
        '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
        '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
        '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
        `${stamp} [notice] 1#1: using the "epoll" event method`,
        `${stamp} [notice] 1#1: nginx/${nginxVersion(c.image)}`,
        `${stamp} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) `,
        `${stamp} [notice] 1#1: OS: Linux 6.8.0-45-generic`,
        `${stamp} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
        `${stamp} [notice] 1#1: start worker processes`,
        `${stamp} [notice] 1#1: start worker process 29`,
        `${stamp} [notice] 1#1: start worker process 30`,
      ];
    }
    case 'http-echo':
      return [`${logStamp(t)} [INFO] server is listening on :${[5678, ...c.ports.map((p) => p.containerPort)].find((p) => app.listens(p, 'tcp')) ?? 5678}`];
    case 'whoami':
      return [`${logStamp(t)} Starting up on port 80`];
    default:
      return [];
  }
}
