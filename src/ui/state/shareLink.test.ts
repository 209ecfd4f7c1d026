import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, isShareHash, SHARE_VERSION } from './shareLink';

async function raw(json: string): Promise<string> {
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return Buffer.from(bytes).toString('base64url');
}

describe('share links', () => {
  it('round-trips a scenario and a trace', async () => {
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata: {name: "<img src=x onerror=alert(1)>"}\n# ünïcödé ✓\n';
    const hash = await encodeShare({ yaml, trace: { from: 'default/a', to: 'default/b', proto: 'tcp', port: 80 } });
    expect(hash).toMatch(new RegExp(`^share=${SHARE_VERSION}\\.[A-Za-z0-9_-]+$`));
    expect(isShareHash(`#${hash}`)).toBe(true);
    expect(await decodeShare(`#${hash}`)).toEqual({ ok: true, payload: { yaml, trace: { from: 'default/a', to: 'default/b', proto: 'tcp', port: 80 } } });
  });

  it('says a link from a newer podpath is from the future', async () => {
    const r = await decodeShare('#share=2.AAAA');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/made by a newer podpath \(link format 2; this page reads format 1\).*unchanged/);
  });

  it.each([
    ['share=', /no format version/],
    ['share=1.***', /not base64url/],
    ['share=1.aGVsbG8', /does not unpack/],
    ['share=x.abc', /no format version/],
  ])('reports a malformed link %s', async (hash, message) => {
    const r = await decodeShare(hash);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('reports JSON that is not a scenario', async () => {
    const r = await decodeShare(`share=1.${await raw('{"nope":1}')}`);
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/no scenario in it/) });
    const bad = await decodeShare(`share=1.${await raw('{"yaml":"x","trace":{"from":1}}')}`);
    expect(bad.ok).toBe(false);
  });

  it('refuses a link that inflates past the size cap without inflating it all', async () => {
    const huge = JSON.stringify({ yaml: 'a'.repeat(9_000_000) });
    const r = await decodeShare(`share=1.${await raw(huge)}`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/unpacks to more than/);
  });

  it('refuses an oversized link before decoding', async () => {
    const r = await decodeShare(`share=1.${'A'.repeat(500_000)}`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/too large/);
  });
});
