/**
 * One line naming a traced packet, for the list of packets a command sent (a name trace's DNS
 * queries and the packet that followed): what it asked and what came back, as dig and ping
 * would sum it up.
 */
import type { TraceResult } from '../../engine/trace/traceTypes';

export function packetLabel(t: TraceResult): string {
  const first = t.hops[0];
  const query = first?.repr?.dns;
  const replyDns = t.reply?.hops[t.reply.hops.length - 1]?.repr?.dns;
  if (query) {
    const asked = `DNS ${query.question.type}? ${query.question.name}`;
    if (t.verdict !== 'delivered' || !t.reply || t.reply.verdict !== 'delivered' || !replyDns) return `${asked} → ${t.reply && t.verdict === 'delivered' ? t.reply.verdict : t.verdict}`;
    const answers = replyDns.answers.map((a) => a.data);
    return `${asked} → ${replyDns.rcode ?? 'NOERROR'}${answers.length ? ` ${answers.join(', ')}` : ''}`;
  }
  if (!first) return t.verdict;
  const p = first.packet;
  const what = p.proto === 'icmp' ? `ICMP echo → ${p.dst}` : `${p.proto.toUpperCase()}${p.proto === 'tcp' ? ' SYN' : ''} → ${p.dst}:${p.dstPort ?? '?'}`;
  const outcome = t.verdict === 'delivered' && t.reply ? `reply ${t.reply.verdict}` : t.verdict;
  return `${what} · ${outcome}`;
}
