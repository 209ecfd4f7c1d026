/**
 * kubectl's structured output: `-o json` (encoding/json over unstructured maps: keys sorted,
 * 4-space indent) and `-o yaml` (sigs.k8s.io/yaml → go-yaml v2: keys sorted, sequences not
 * indented under their key, strings double-quoted only when they would read as another type).
 */
import { yamlDoubleQuoted, yamlNeedsEscapes } from '../terminalEscape';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

export function toJson(v: Json): string {
  return JSON.stringify(sortKeys(v), null, 4) + '\n';
}

/** Would go-yaml v2 read this plain scalar as something other than a string? Then quote it. */
function needsQuotes(s: string): boolean {
  if (s === '') return true;
  if (/^(true|false|yes|no|on|off|y|n|null|~)$/i.test(s)) return true;
  if (/^[-+]?(\d[\d_]*)?\.?\d[\d_]*([eE][-+]?\d+)?$/.test(s) || /^0x[0-9a-fA-F]+$/.test(s) || /^[-+]?\.(inf|Inf|INF)$/.test(s) || /^\.(nan|NaN|NAN)$/.test(s)) return true;
  if (/^\d{4}-\d{2}-\d{2}([Tt ].*)?$/.test(s)) return true; // timestamps
  if (/^[\s]|[\s]$/.test(s)) return true;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s)) return true;
  if (/: |\s#/.test(s) || s.endsWith(':')) return true;
  return false;
}

function scalar(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  const s = v as string;
  if (yamlNeedsEscapes(s)) return yamlDoubleQuoted(s); // control characters never reach the terminal raw
  if (s.includes('\n')) return '|' + (s.endsWith('\n') ? '' : '-') + '\n' + s.replace(/\n$/, '').split('\n').map((l) => `INDENT${l}`).join('\n');
  return needsQuotes(s) ? yamlDoubleQuoted(s) : s;
}

function emit(v: Json, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length) {
        const sub: string[] = [];
        emit(item, indent + '  ', sub);
        sub[0] = indent + '- ' + sub[0].slice(indent.length + 2);
        out.push(...sub);
      } else if (Array.isArray(item) && item.length) {
        const sub: string[] = [];
        emit(item, indent + '  ', sub);
        sub[0] = indent + '- ' + sub[0].slice(indent.length + 2);
        out.push(...sub);
      } else {
        out.push(`${indent}- ${inline(item, indent + '  ')}`);
      }
    }
    return;
  }
  if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      const val = v[k];
      const key = needsQuotes(k) || yamlNeedsEscapes(k) ? yamlDoubleQuoted(k) : k;
      if (val && typeof val === 'object' && (Array.isArray(val) ? val.length : Object.keys(val).length)) {
        out.push(`${indent}${key}:`);
        // go-yaml v2 keeps a sequence at its key's indentation.
        emit(val, Array.isArray(val) ? indent : indent + '  ', out);
      } else {
        out.push(`${indent}${key}: ${inline(val, indent + '  ')}`);
      }
    }
  }
}

function inline(v: Json, indent: string): string {
  if (Array.isArray(v)) return '[]';
  if (v && typeof v === 'object') return '{}';
  return scalar(v).replace(/INDENT/g, indent);
}

export function toYaml(v: Json): string {
  const out: string[] = [];
  emit(sortKeys(v), '', out);
  return out.join('\n') + '\n';
}
