/**
 * The engine's edit commands, serializer and YAML parser are a chunk of their own: the first
 * paint only draws (from parsed documents, state/parsedScenarios.ts). The chunk is fetched right
 * after the first paint (main.tsx) or by the first edit or opened text, whichever comes first,
 * and handed to the store once; whatever needs it waits for it.
 */
import { useEffect, useState } from 'react';
import { loadDrawing } from './drawing';
import { attachParser } from './state/parsedScenarios';
import type { AppStore } from './store';

export type Editing = typeof import('./editingChunk');

const loads = new WeakMap<AppStore, Promise<Editing>>();

export function editingFor(store: AppStore): Promise<Editing> {
  let p = loads.get(store);
  if (!p) {
    // An edit makes a cluster the build did not draw: the drawing engine comes with the edit commands.
    p = Promise.all([import('./editingChunk'), loadDrawing()]).then(
      ([m]) => {
        attachParser(m.parser);
        store.getState().attachEngine({ serialize: m.scenarioYaml });
        return m;
      },
      (e: unknown) => {
        // Said once per failed fetch; the next edit tries again.
        loads.delete(store);
        store.getState().notify({ kind: 'error', text: `The editing code could not be loaded (${e instanceof Error ? e.message : String(e)}); check the connection and try again.` });
        throw e;
      },
    );
    loads.set(store, p);
  }
  return p;
}

/** Run an edit with the engine's commands once they are here; resolves to whether it applied. */
export function edit(store: AppStore, run: (commands: Editing['commands']) => boolean): Promise<boolean> {
  return editingFor(store).then(
    (m) => run(m.commands),
    () => false,
  );
}

/**
 * For a panel that edits (the Edit panel): true once the serializer is attached, so its edits
 * rewrite the scenario text. Until then the panel shows that it is loading.
 */
export function useEditingReady(store: AppStore): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void editingFor(store).then(() => live && setReady(true), () => undefined);
    return () => {
      live = false;
    };
  }, [store]);
  return ready;
}
