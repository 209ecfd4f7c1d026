/**
 * `kubectl explain RESOURCE[.field…]` for the networking resources (Pod, Service): kubectl's
 * plaintext template (k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl) — KIND and VERSION,
 * `FIELD: name <type>` with its ENUM values, the DESCRIPTION wrapped at 76 columns and indented 4,
 * and for an object its FIELDS (name, `<type>`, `-required-`, `enum:` and the wrapped description),
 * from the API's field documentation (explainDocs.ts).
 */
import { fail, out, type Ctx, type Out } from '../types';
import type { Parsed } from './args';
import { TYPES, type FieldDoc } from './explainDocs';

const RESOURCES: Record<string, { kind: string; type: string }> = {
  po: { kind: 'Pod', type: 'Pod' }, pod: { kind: 'Pod', type: 'Pod' }, pods: { kind: 'Pod', type: 'Pod' },
  svc: { kind: 'Service', type: 'Service' }, service: { kind: 'Service', type: 'Service' }, services: { kind: 'Service', type: 'Service' },
};

/** go-wordwrap (via term.NewWordWrapWriter): break at spaces so lines stay within `width`; a longer word stands alone. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    let spaces = '';
    for (const token of para.split(/( +)/)) {
      if (!token) continue;
      if (token.startsWith(' ')) {
        spaces += token;
        continue;
      }
      if (line && line.length + spaces.length + token.length > width) {
        lines.push(line);
        line = token;
      } else line += (line ? spaces : spaces.length > 1 || para.startsWith(' ') ? spaces : '') + token;
      spaces = '';
    }
    lines.push(line);
  }
  return lines;
}

const indent = (lines: string[], n: number) => lines.map((l) => (l ? ' '.repeat(n) + l : ' '.repeat(n))).join('\n');
const elem = (t: string) => t.replace(/^\[\]/, '');

function fieldsBlock(type: string): string {
  const doc = TYPES[type];
  if (!doc) return '';
  const names = Object.keys(doc.fields).sort();
  const parts = names.map((n) => {
    const f = doc.fields[n];
    let head = `  ${n}\t<${f.type}>${f.required ? ' -required-' : ''}`;
    if (f.enum) head += `\n  enum: ${f.enum.join(', ')}`;
    return `${head}\n${indent(wrap(f.description, 76), 4)}`;
  });
  return `FIELDS:\n${parts.join('\n\n')}\n\n`;
}

export function cmdExplain(p: Parsed, _ctx: Ctx): Out {
  const arg = p.positional[0];
  if (!arg) return fail(`error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.`);
  const [res, ...path] = arg.split('.');
  const r = RESOURCES[res.toLowerCase()];
  if (!r) return fail(`error: the server doesn't have a resource type "${res}"`);
  let head = `KIND:       ${r.kind}\nVERSION:    v1\n\n`;
  if (!path.length) {
    const doc = TYPES[r.type];
    return out(`${head}DESCRIPTION:\n${indent(wrap(doc.description, 76), 4)}\n    \n${fieldsBlock(r.type)}`);
  }
  let type = r.type;
  let field: FieldDoc | undefined;
  for (const seg of path) {
    const doc = TYPES[elem(type)];
    field = doc?.fields[seg];
    if (!field) return fail(`error: field "${seg}" does not exist`);
    type = field.type;
  }
  const name = path[path.length - 1];
  head += `FIELD: ${name} <${field!.type}>\n`;
  if (field!.enum) head += `ENUM:\n${field!.enum.map((e) => `    ${e}`).join('\n')}\n`;
  head += '\n';
  if (!field!.enum) head += '\n';
  // An object field shows its own description, then its type's, then the type's fields.
  const typeDoc = TYPES[elem(type)];
  const desc = typeDoc ? `${field!.description}\n${typeDoc.description}` : field!.description;
  return out(`${head}DESCRIPTION:\n${indent(wrap(desc, 76), 4)}\n    \n${typeDoc ? fieldsBlock(elem(type)) : ''}`);
}
