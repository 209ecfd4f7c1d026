/** Types of launcher.mjs (plain JavaScript so that bin/podpath.mjs runs it without a compiler). */
export declare const BUNDLE_DIR: string;
export declare const BUNDLE_ENTRY: string;
export declare const BUNDLE_INPUTS: string;
export declare const SOURCE_ENTRY: string;
export type Entry = { kind: 'bundle'; path: string } | { kind: 'sources'; path: string; reason: string };
export declare function fileMtime(path: string): number | undefined;
export declare function chooseEntry(root: string, mtime?: (path: string) => number | undefined, inputsOf?: (path: string) => string[] | undefined): Entry;
