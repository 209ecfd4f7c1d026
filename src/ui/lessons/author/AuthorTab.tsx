/** The Author tab: the lesson author's panel with the actions that need the lessons engine (validate, preview). */
import { AuthorPanel } from './AuthorPanel';

export function AuthorTab() {
  return <AuthorPanel />;
}
