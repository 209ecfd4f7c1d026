/**
 * What the Trace panel shows once there is a trace: the playback controls, the inspector and the
 * hop list. A chunk of its own, loaded with the first trace: the first paint shows none of it.
 */
import { HopList } from './HopList';
import { Inspector } from './Inspector';
import { PlaybackControls } from './PlaybackControls';
import { TraceSummary } from './TraceSummary';
import './traceView.css';

export function TraceView() {
  return (
    <>
      <TraceSummary />
      <PlaybackControls />
      <Inspector />
      <HopList />
    </>
  );
}
