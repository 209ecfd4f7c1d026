/**
 * evaluateCheck: one check of the vocabulary (docs/lessons.md) against the learner's context.
 * `all` passes when every child does, `any` when one does, `not` when its child fails; the
 * children's results are kept so feedback can say which part failed.
 */
import type { Check, CheckResult, LessonContext, LessonInstance } from '../types';
import { checkEvent, checkNode, checkObject, checkPod, checkPods, checkService, checkSysctl } from './cluster';
import { checkAnswerCheck, checkCommand } from './command';
import { checkDns } from './dns';
import { checkPolicy } from './policy';
import { checkTrace } from './trace';

export function evaluateCheck(check: Check, ctx: LessonContext, inst?: LessonInstance): CheckResult {
  if ('all' in check) {
    const children = check.all.map((c) => evaluateCheck(c, ctx, inst));
    const bad = children.filter((c) => !c.pass);
    return { pass: !bad.length, kind: 'all', message: bad.length ? bad.map((c) => c.message).join('\n') : children.map((c) => c.message).join('\n'), children };
  }
  if ('any' in check) {
    const children = check.any.map((c) => evaluateCheck(c, ctx, inst));
    const good = children.find((c) => c.pass);
    return { pass: !!good, kind: 'any', message: good ? good.message : `none of these holds:\n${children.map((c) => `- ${c.message}`).join('\n')}`, children };
  }
  if ('not' in check) {
    const child = evaluateCheck(check.not, ctx, inst);
    return { pass: !child.pass, kind: 'not', message: child.pass ? `expected this not to hold, but it does: ${child.message}` : `as expected, this does not hold: ${child.message}`, children: [child] };
  }
  if ('pod' in check) return checkPod(check.pod, ctx.cluster);
  if ('pods' in check) return checkPods(check.pods, ctx.cluster);
  if ('node' in check) return checkNode(check.node, ctx.cluster);
  if ('object' in check) return checkObject(check.object, ctx.cluster);
  if ('service' in check) return checkService(check.service, ctx.cluster);
  if ('event' in check) return checkEvent(check.event, ctx.cluster);
  if ('trace' in check) return checkTrace(check.trace, ctx);
  if ('policy' in check) return checkPolicy(check.policy, ctx.cluster);
  if ('dns' in check) return checkDns(check.dns, ctx.cluster);
  if ('command' in check) return checkCommand(check.command, ctx);
  if ('sysctl' in check) return checkSysctl(check.sysctl, ctx.cluster);
  return checkAnswerCheck(check.answer, ctx, inst?.spec.questions);
}
