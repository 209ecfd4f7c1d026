/**
 * Share links: the whole scenario (and optionally the trace being looked at) in the URL hash,
 * so one link opens the same cluster for every student. Nothing leaves the browser.
 *
 * Format: `#share=<version>.<base64url(deflate-raw(JSON))>`, JSON `{ yaml, trace? }`. The
 * version is checked before anything is decoded, so a link from a newer podpath gets a clear
 * message instead of a parse error. Decompression stops at the size cap (a small link must not
 * inflate into gigabytes).
 */
import type { Proto } from '../store';
import { MAX_LINK_CHARS, MAX_SCENARIO_CHARS, tooLarge } from './limits';

export const SHARE_VERSION = 1;
const PREFIX = 'share=';
const PROTOS: readonly Proto[] = ['icmp', 'tcp', 'udp'];

export interface SharedTrace {
  from: string;
  to: string;
  proto: Proto;
  port?: number;
}

export interface SharePayload {
  yaml: string;
  trace?: SharedTrace;
}

export type Decoded = { ok: true; payload: SharePayload } | { ok: false; message: string };

export function isShareHash(hash: string): boolean {
  return hash.replace(/^#/, '').startsWith(PREFIX);
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

async function deflate(text: string): Promise<Uint8Array> {
  const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflate at most `limit` bytes; null when the data is not deflate, 'too-large' past the limit. */
async function inflate(bytes: Uint8Array, limit: number): Promise<string | null | 'too-large'> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        return 'too-large';
      }
      chunks.push(value);
    }
  } catch {
    return null;
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(all);
  } catch {
    return null;
  }
}

/** The hash (without `#`) for a payload. */
export async function encodeShare(payload: SharePayload): Promise<string> {
  const json = JSON.stringify(payload.trace ? { yaml: payload.yaml, trace: payload.trace } : { yaml: payload.yaml });
  return `${PREFIX}${SHARE_VERSION}.${toBase64Url(await deflate(json))}`;
}

const damaged = (why: string): Decoded => ({ ok: false, message: `This share link is damaged (${why}). Your current work is unchanged.` });

function readTrace(v: unknown): SharedTrace | undefined | false {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Record<string, unknown>;
  if (typeof t.from !== 'string' || typeof t.to !== 'string' || !PROTOS.includes(t.proto as Proto)) return false;
  if (t.port !== undefined && (typeof t.port !== 'number' || !Number.isInteger(t.port) || t.port < 0 || t.port > 65535)) return false;
  return { from: t.from, to: t.to, proto: t.proto as Proto, ...(t.port !== undefined ? { port: t.port as number } : {}) };
}

export async function decodeShare(hash: string): Promise<Decoded> {
  const body = hash.replace(/^#/, '');
  if (!body.startsWith(PREFIX)) return damaged('it does not start with share=');
  const sizeProblem = tooLarge('This share link', body.length, MAX_LINK_CHARS);
  if (sizeProblem) return { ok: false, message: `${sizeProblem} Your current work is unchanged.` };
  const m = /^(\d{1,6})\.(.*)$/s.exec(body.slice(PREFIX.length));
  if (!m) return damaged('no format version');
  const version = Number(m[1]);
  if (version > SHARE_VERSION) {
    return { ok: false, message: `This share link was made by a newer podpath (link format ${version}; this page reads format ${SHARE_VERSION}). Open it with the newer version, or ask for a new link. Your current work is unchanged.` };
  }
  if (version < 1) return damaged(`unknown format ${version}`);
  const bytes = fromBase64Url(m[2]);
  if (!bytes) return damaged('not base64url text; was it cut or changed when it was copied?');
  const json = await inflate(bytes, MAX_SCENARIO_CHARS * 4);
  if (json === 'too-large') return { ok: false, message: `This share link unpacks to more than the ${MAX_SCENARIO_CHARS.toLocaleString('en-US')} characters a scenario may have. Nothing was loaded; your current work is unchanged.` };
  if (json === null) return damaged('the data does not unpack; was it cut when it was copied?');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return damaged('the data is not JSON');
  }
  if (typeof value !== 'object' || value === null || typeof (value as { yaml?: unknown }).yaml !== 'string') return damaged('no scenario in it');
  const yaml = (value as { yaml: string }).yaml;
  const big = tooLarge('The scenario in this link', yaml.length, MAX_SCENARIO_CHARS);
  if (big) return { ok: false, message: `${big} Your current work is unchanged.` };
  const trace = readTrace((value as { trace?: unknown }).trace);
  if (trace === false) return damaged('the trace in it is not valid');
  return { ok: true, payload: trace ? { yaml, trace } : { yaml } };
}
