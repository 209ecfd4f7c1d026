/**
 * `kubectl edit`: kubectl writes the object to a temporary file and opens $KUBE_EDITOR, $EDITOR
 * or `vi` (editor.go) on it. The simulator's terminal has no editor, so it says so and names the
 * ways to make the same change here; it exits 1 as kubectl does when the editor cannot run.
 */
import { fail, type Ctx, type Out } from '../types';
import { REQUIRED_RESOURCE, type Parsed } from './args';

export function cmdEdit(p: Parsed, _ctx: Ctx): Out {
  if (!p.positional.length) return fail(REQUIRED_RESOURCE('edit'));
  const what = p.positional.join(' ');
  return fail(
    [
      `error: this terminal has no editor: kubectl edit ${what} would open the object's YAML in $KUBE_EDITOR, $EDITOR or vi.`,
      'Make the same change with:',
      `  kubectl patch ${what} -p '{"spec":{...}}'    (strategic merge; --type merge or --type json too)`,
      `  kubectl get ${what} -o yaml, then kubectl apply -f - <<EOF with the edited YAML, ended by a line EOF`,
    ].join('\n'),
  );
}
