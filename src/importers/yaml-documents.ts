import { LineCounter, parseAllDocuments } from 'yaml';
import { DomainError, FieldProblem } from '../common/errors/domain-error';

/** One YAML (or JSON) document of a file, with where it starts for messages. */
export interface SourceDocument {
  value: unknown;
  file: string;
  /** 1-based line where the document's content starts. */
  line: number;
  /** 1-based line of the value at a path inside the document (or of its nearest parent). */
  lineOf(path: (string | number)[]): number;
}

/**
 * Parses every document of a multi-document YAML file (JSON is YAML too).
 * Empty documents (a lone `---`, comments only) are skipped. Syntax errors
 * throw BAD_USER_INPUT naming file and line, so nothing is imported from a
 * file that was only half understood.
 */
export function parseYamlDocuments(text: string, file: string): SourceDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const problems: FieldProblem[] = [];
  for (const doc of list) {
    for (const error of doc.errors) {
      problems.push({ path: `${file}:${error.linePos?.[0].line ?? 1}`, message: `YAML syntax: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` });
    }
  }
  if (problems.length) throw DomainError.badInput(problems);
  const out: SourceDocument[] = [];
  for (const doc of list) {
    const value = doc.toJS({ maxAliasCount: 1_000 }) as unknown;
    if (value === null || value === undefined) continue;
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const line = lines.linePos(start).line;
    const lineOf = (path: (string | number)[]): number => {
      for (let depth = path.length; depth > 0; depth--) {
        const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
        if (node && typeof node === 'object' && node.range) return lines.linePos(node.range[0]).line;
      }
      return line;
    };
    out.push({ value, file, line, lineOf });
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A string field, or undefined when absent or not a non-empty string. */
export function stringAt(object: unknown, ...path: string[]): string | undefined {
  let current: unknown = object;
  for (const step of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[step];
  }
  return typeof current === 'string' && current.trim() !== '' ? current.trim() : undefined;
}

/** An object field, or undefined. */
export function objectAt(object: unknown, ...path: string[]): Record<string, unknown> | undefined {
  let current: unknown = object;
  for (const step of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[step];
  }
  return isPlainObject(current) ? current : undefined;
}

/** A list field (a single value counts as a list of one), or an empty list. */
export function listAt(object: unknown, ...path: string[]): unknown[] {
  let current: unknown = object;
  for (const step of path) {
    if (!isPlainObject(current)) return [];
    current = current[step];
  }
  if (current === undefined || current === null) return [];
  return Array.isArray(current) ? current : [current];
}
