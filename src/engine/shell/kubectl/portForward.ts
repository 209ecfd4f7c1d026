/**
 * `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE…` (pod, deploy, rs, svc): resolves what kubectl
 * would forward — the pod it attaches to and, for a Service, the service port's targetPort on that
 * pod (k8s.io/kubectl/pkg/cmd/portforward translateServicePortToTargetPort) — and prints kubectl's
 * `Forwarding from 127.0.0.1:L -> R` lines. The simulated cluster has no port on this machine to
 * listen on, so a note on stderr says so and where the traffic would go; the command then returns
 * instead of blocking.
 */
import { formatIpv4 } from '../../addressing/ipv4';
import { servicesOf } from '../../services/table';
import { findPod } from '../files';
import { fail, out, type Ctx, type Out } from '../types';
import { namespaceOf, str, type Parsed } from './args';
import { podOfObject } from './exec';

export function cmdPortForward(p: Parsed, ctx: Ctx): Out {
  const [ref, ...ports] = p.positional;
  if (!ref || !ports.length) return fail(`error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples`);
  const ns = namespaceOf(p);
  const cluster = ctx.session.cluster;
  const podName = podOfObject(ctx, ns, ref.includes('/') ? ref : `pod/${ref}`);
  if (typeof podName !== 'string') return podName;
  const pod = findPod(cluster, ns, podName);
  if (!pod) return fail(`Error from server (NotFound): pods "${podName}" not found`);
  if (pod.phase !== 'Running') return fail(`error: unable to forward port because pod is not running. Current status=${pod.phase}`);
  const svcName = /^(svc|service|services)\//.test(ref) ? ref.slice(ref.indexOf('/') + 1) : undefined;
  const svc = svcName ? servicesOf(cluster).services.find((s) => s.namespace === ns && s.name === svcName) : undefined;
  const pairs: { local: string; remote: number }[] = [];
  for (const spec of ports) {
    const [l, r] = spec.includes(':') ? spec.split(':') : [spec, spec];
    let remote: number;
    if (svc) {
      // The Service port (number or name) → its targetPort, resolved on the pod when it is a name.
      const sp = svc.ports.find((x) => String(x.port) === r || x.name === r);
      if (!sp) return fail(`error: Service ${svc.name} does not have a service port ${r}`);
      const t = sp.targetPort;
      if (typeof t === 'number') remote = t;
      else {
        const cp = pod.containers.flatMap((c) => c.ports).find((x) => x.name === t);
        if (!cp) return fail(`error: Pod '${pod.meta.name}' does not have a named port '${t}'`);
        remote = cp.containerPort;
      }
    } else if (/^\d+$/.test(r)) remote = Number(r);
    else {
      const cp = pod.containers.flatMap((c) => c.ports).find((x) => x.name === r);
      if (!cp) return fail(`error: Pod '${pod.meta.name}' does not have a named port '${r}'`);
      remote = cp.containerPort;
    }
    // An empty local port (`:80`) is chosen by the OS; podpath picks one above 32768 deterministically.
    pairs.push({ local: l === '' ? String(32768 + ((remote * 7919 + pod.meta.name.length) % 28000)) : l, remote });
  }
  const addresses = (str(p.flags.address) ?? 'localhost').split(',');
  let stdout = '';
  for (const { local, remote } of pairs) {
    for (const a of addresses) {
      if (a === 'localhost') stdout += `Forwarding from 127.0.0.1:${local} -> ${remote}\nForwarding from [::1]:${local} -> ${remote}\n`;
      else stdout += `Forwarding from ${a}:${local} -> ${remote}\n`;
    }
  }
  const ip = pod.attachment ? formatIpv4(pod.attachment.ip) : undefined;
  const note = `podpath: this simulator opens no port on your machine. The tunnel would reach pod ${ns}/${pod.meta.name}${ip ? ` (${ip})` : ''} on port ${pairs.map((x) => x.remote).join(', ')} through the kubelet on ${pod.nodeName}; to send traffic there, use curl from a pod or a node (kubectl exec … -- curl http://${ip ?? pod.meta.name}:${pairs[0].remote}/).\n`;
  return out(stdout, note);
}
