/**
 * `kubectl get RESOURCE NAME…`: the named objects in the order they were asked for, and the API
 * server's NotFound line for each one that does not exist (the others are still printed).
 */
export function pickNamed<T extends { meta: { name: string } }>(items: T[], names: string[], resource: string): { items: T[]; stderr: string; status: number } {
  if (!names.length) return { items, stderr: '', status: 0 };
  const picked: T[] = [];
  let stderr = '';
  for (const n of names) {
    const hit = items.find((o) => o.meta.name === n);
    if (hit) picked.push(hit);
    else stderr += `Error from server (NotFound): ${resource} "${n}" not found\n`;
  }
  return { items: picked, stderr, status: stderr ? 1 : 0 };
}
