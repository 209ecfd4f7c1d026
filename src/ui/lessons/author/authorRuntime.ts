/**
 * One lesson author per page: its store, started with the recorder on the app's store the first
 * time the author's code loads (the Author tab, or a draft found on reload), and a React hook.
 */
import { useStore } from 'zustand';
import type { AppStore } from '../../store';
import { createAuthorStore, type AuthorState, type AuthorStore } from './authorStore';
import { startRecorder } from './recorder';

let author: AuthorStore | null = null;
let boundTo: AppStore | null = null;

export function authorFor(app: AppStore): AuthorStore {
  if (!author) author = createAuthorStore();
  if (boundTo !== app) {
    boundTo = app;
    startRecorder(app, author);
  }
  return author;
}

export function useAuthor<T>(app: AppStore, selector: (s: AuthorState) => T): T {
  return useStore(authorFor(app), selector);
}
