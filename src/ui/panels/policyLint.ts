/**
 * The YAML view's warning on a NetworkPolicy the cluster's CNI does not enforce (issue 13
 * point 1): the API server accepts it and `kubectl get networkpolicy` lists it, so it is no
 * error, but the student must see that it does nothing here. Pure: the lines come from the
 * text (a top-level `kind: NetworkPolicy` of a document), the reason from the engine.
 */
export interface LintWarning {
  /** 1-based line of the document's `kind: NetworkPolicy`. */
  line: number;
  message: string;
}

/** One warning per NetworkPolicy document in `text`; none when `because` is undefined (enforced). */
export function policyWarnings(text: string, because: string | undefined): LintWarning[] {
  if (!because) return [];
  const out: LintWarning[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^kind:\s*["']?NetworkPolicy["']?\s*(#.*)?$/.test(line.trimEnd())) {
      out.push({ line: i + 1, message: `NetworkPolicy accepted but not enforced: ${because}, so all traffic still flows. Set spec.cni to calico, cilium or weave in the Cluster document to enforce it.` });
    }
  });
  return out;
}
