/** Binds the vanilla app store to React: one store per app, read through selectors. */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './store';

const AppStoreContext = createContext<AppStore | null>(null);

export function AppStoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <AppStoreContext.Provider value={store}>{children}</AppStoreContext.Provider>;
}

export function useAppStoreApi(): AppStore {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('useApp outside <AppStoreProvider>');
  return store;
}

/** Select from the app store. Return primitives or stored references (zustand v5 loops on fresh objects). */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}
