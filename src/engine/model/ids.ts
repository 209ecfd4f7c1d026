/** Branded string ids: a typo'd kind of id is a type error, not a runtime surprise. */
export type Id<K extends string> = string & { readonly __kind: K };

/** Network namespace ids: `node/<name>`, `pod/<namespace>/<name>`, or a fixed id like `net/nodes`. */
export type NetnsId = Id<'netns'>;

export const netnsId = {
  node: (node: string) => `node/${node}` as NetnsId,
  pod: (namespace: string, name: string) => `pod/${namespace}/${name}` as NetnsId,
  external: (name: string) => `ext/${name}` as NetnsId,
};

/** `namespace/name`, the key of namespaced objects. */
export type ObjectKey = string;
export const objectKey = (namespace: string, name: string): ObjectKey => `${namespace}/${name}`;
