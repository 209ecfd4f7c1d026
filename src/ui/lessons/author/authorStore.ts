/**
 * The lesson author's state: the draft, which step records the author's actions, and whether it
 * records. Kept in localStorage so a reload keeps the lesson being written. A vanilla zustand
 * store (tests drive it without React); the recorder (recorder.ts) feeds it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TraceRequest } from '../../../engine';
import { storage } from '../../state/boot';
import { addStep, newDraft, removeStep, scenarioPatch, updateStep, type CheckSpec, type LessonDraft, type StepDraft } from './draft';
import type { CommandRecord } from '../../store';

export const AUTHOR_KEY = 'podpath.lessonDraft.v1';

export interface AuthorState {
  draft: LessonDraft | null;
  /** The step the author's commands and traces go to (its reference solution). */
  active: number;
  recording: boolean;
  /** Objects the last recorded patch could not express (deleted ones): record `kubectl delete` instead. */
  patchNote: string | null;
  start(title: string, scenarioText: string): void;
  addStep(currentText: string): void;
  update(index: number, change: Partial<StepDraft>): void;
  setMeta(change: Partial<Pick<LessonDraft, 'title' | 'summary' | 'topics' | 'id'>>): void;
  setCheck(index: number, check: CheckSpec | null, label: string): void;
  setActive(index: number): void;
  setRecording(on: boolean): void;
  recordLine(line: CommandRecord): void;
  recordTrace(req: TraceRequest): void;
  /** The step's solution patch: the YAML documents that take its start to `nowText`. */
  recordPatch(index: number, nowText: string): void;
  clearSolution(index: number): void;
  remove(index: number): void;
  discard(): void;
}

export type AuthorStore = StoreApi<AuthorState>;

function load(): LessonDraft | null {
  try {
    const text = storage()?.getItem(AUTHOR_KEY);
    if (!text) return null;
    const d = JSON.parse(text) as LessonDraft;
    return d && typeof d.scenarioYaml === 'string' && Array.isArray(d.steps) ? d : null;
  } catch {
    return null;
  }
}

export function createAuthorStore(persist = true): AuthorStore {
  const store = createStore<AuthorState>()((set, get) => {
    const draft = persist ? load() : null;
    const withDraft = (f: (d: LessonDraft) => LessonDraft) => {
      const d = get().draft;
      if (d) set({ draft: f(d) });
    };
    const onActive = (f: (s: StepDraft) => Partial<StepDraft>) => {
      const { draft: d, active, recording } = get();
      if (!d || !recording || !d.steps[active]) return;
      set({ draft: updateStep(d, active, f(d.steps[active])) });
    };
    return {
      draft,
      active: draft ? draft.steps.length - 1 : -1,
      recording: !!draft,
      patchNote: null,
      start(title, scenarioText) {
        set({ draft: addStep(newDraft(scenarioText, title)), active: 0, recording: true, patchNote: null });
      },
      addStep(currentText) {
        withDraft((d) => addStep(d, '', currentText));
        set({ active: (get().draft?.steps.length ?? 1) - 1, recording: true, patchNote: null });
      },
      update: (index, change) => withDraft((d) => updateStep(d, index, change)),
      setMeta: (change) => withDraft((d) => ({ ...d, ...change })),
      setCheck: (index, check, checkLabel) => withDraft((d) => updateStep(d, index, { check, checkLabel })),
      setActive: (active) => set({ active }),
      setRecording: (recording) => set({ recording }),
      recordLine(l) {
        onActive((s) => {
          // The first line recorded inside a pod or on a node: how the workstation gets there first.
          const reach = s.solution.commands.length === 0 ? linesToReach(l.place) : [];
          return { solution: { ...s.solution, commands: [...s.solution.commands, ...reach, l.line] } };
        });
      },
      recordTrace(req) {
        onActive((s) => ({ solution: { ...s.solution, traces: [...s.solution.traces, req] } }));
      },
      recordPatch(index, nowText) {
        const d = get().draft;
        const step = d?.steps[index];
        if (!d || !step) return;
        const { patch, deleted } = scenarioPatch(step.startText, nowText);
        set({
          draft: updateStep(d, index, { solution: { ...step.solution, patch: patch || undefined } }),
          patchNote: deleted.length ? `Deleted since the step began (a patch applies, it cannot delete): ${deleted.join(', ')}. Record kubectl delete in the terminal instead.` : patch ? null : 'Nothing changed since the step began: no patch.',
        });
      },
      clearSolution: (index) => withDraft((d) => updateStep(d, index, { solution: { commands: [], traces: [] } })),
      remove(index) {
        withDraft((d) => removeStep(d, index));
        set({ active: Math.min(get().active, (get().draft?.steps.length ?? 0) - 1) });
      },
      discard: () => set({ draft: null, active: -1, recording: false, patchNote: null }),
    };
  });
  if (persist)
    store.subscribe((s, prev) => {
      if (s.draft === prev.draft) return;
      try {
        if (s.draft) storage()?.setItem(AUTHOR_KEY, JSON.stringify(s.draft));
        else storage()?.removeItem(AUTHOR_KEY);
      } catch {
        /* storage full or refused: the draft lives on in this tab */
      }
    });
  return store;
}

/**
 * The line that takes a fresh workstation shell to where a recorded line ran (CommandRecord.place:
 * `host`, `pod NS/NAME`, `node NAME`), so a solution recorded inside a pod replays there.
 */
export function linesToReach(place: string | undefined): string[] {
  const pod = /^pod ([^/\s]+)\/(\S+)$/.exec(place ?? '');
  if (pod) return [`kubectl exec -it ${pod[1] === 'default' ? '' : `-n ${pod[1]} `}${pod[2]} -- sh`];
  const node = /^node (\S+)$/.exec(place ?? '');
  if (node) return [`ssh ${node[1]}`];
  return [];
}
