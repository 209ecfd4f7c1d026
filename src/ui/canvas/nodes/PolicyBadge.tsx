/**
 * The mark on a pod that a NetworkPolicy selects: a shield with the policy names where the CNI
 * enforces policies, a warning "policy not enforced by flannel" where it does not. Drawn over
 * the pod box's top edge, so the pod's size and the layout do not change.
 */
import type { PodPolicyMark } from '../../../engine/policy/unenforced';
import { policyMarkText } from '../policyMarks';

export function PolicyBadge({ mark, cni }: { mark: PodPolicyMark; cni: string }) {
  const text = policyMarkText(mark, cni);
  return (
    <span className={`flow-pod__policy${mark.enforced ? '' : ' flow-pod__policy--unenforced'}`} title={text.long} data-testid="policy-mark" data-enforced={mark.enforced}>
      {text.short}
    </span>
  );
}
