/** The message line under the top bar: an error of the last change, a refused file or link, with the choices it offers. Shown as text, never as HTML. */
import { useApp, useAppStoreApi } from '../StoreContext';

export function Notices() {
  const store = useAppStoreApi();
  const notice = useApp((s) => s.notice);
  if (!notice) return null;
  return (
    <div className={`notice notice--${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
      <span aria-hidden className="notice__icon">
        {notice.kind === 'error' ? '✖' : 'ℹ'}
      </span>
      <pre className="notice__text" title={notice.kind === 'info' ? notice.text : undefined}>
        {notice.text}
      </pre>
      {notice.actions?.map((a) => (
        <button
          key={a.label}
          type="button"
          className="button button--small"
          onClick={() => {
            store.getState().notify(null);
            a.run();
          }}
          data-testid="notice-action"
        >
          {a.label}
        </button>
      ))}
      <button type="button" className="button button--small" onClick={() => store.getState().notify(null)} aria-label="Dismiss message" data-testid="notice-dismiss">
        Dismiss
      </button>
    </div>
  );
}
