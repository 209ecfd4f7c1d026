/** Small helpers for writing bash text: words that need no quoting, and checks that they are such words. */

const SAFE = /^[A-Za-z0-9._:/@%+=,-]+$/;

/** A word for bash: as is when it has no special characters, else single-quoted. */
export function word(text: string): string {
  return SAFE.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A namespace reference: `"$PREFIX-worker-1"` (the suffix is checked, so double quotes are enough). */
export function nsRef(suffix: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(suffix)) throw new Error(`namespace suffix with unexpected characters: ${suffix}`);
  return `"$PREFIX-${suffix}"`;
}

/** Prefix every line of a block with `# `. */
export function comment(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `# ${l}` : '#'))
    .join('\n');
}
