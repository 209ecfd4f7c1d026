/**
 * What the app shows once there is a trace: the playback controls and the hop list (the side
 * panel), the packet inspector (the dock, beside the terminal: the stage's width gives the
 * headers room) and, in presentation mode, the current hop's explanation in large text under
 * the canvas. A chunk of its own, loaded with the first trace: the first paint shows none of it.
 */
import { HopList } from './HopList';
import { Inspector } from './Inspector';
import { PlaybackControls } from './PlaybackControls';
import { TraceSummary } from './TraceSummary';
import './traceView.css';

export { HopCaption } from './HopCaption';

export function TraceView() {
  return (
    <>
      <TraceSummary />
      <PlaybackControls />
      <HopList />
    </>
  );
}

export function DockInspector() {
  return <Inspector />;
}
