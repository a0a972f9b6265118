import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../common/errors/domain-error';

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/**
 * Expands command-line paths: a file stands for itself, a folder for every
 * file below it whose name passes `accept`, in sorted order so an import is
 * the same on every machine. A path that does not exist is an error.
 */
export function expandInputPaths(paths: string[], accept: (name: string) => boolean): string[] {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length) throw DomainError.badInput(missing.map((p) => ({ path: p, message: 'no such file or folder' })));
  const out: string[] = [];
  for (const path of paths) {
    if (statSync(path).isDirectory()) out.push(...walk(path, accept));
    else out.push(path);
  }
  return [...new Set(out)];
}

function walk(folder: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) out.push(...walk(path, accept));
    } else if (entry.isFile() && accept(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

export const isYamlFile = (name: string): boolean => /\.(ya?ml|json)$/i.test(name);

/**
 * Files matching a glob relative to `base`: `*` and `?` within one path
 * segment, `**` for any number of folders.
 */
export function expandGlob(base: string, pattern: string): string[] {
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
  const out = new Set<string>();
  const visit = (folder: string, index: number): void => {
    if (index === segments.length) return;
    const segment = segments[index];
    const last = index === segments.length - 1;
    if (segment === '**') {
      visit(folder, index + 1);
      for (const entry of safeList(folder)) {
        if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) visit(join(folder, entry.name), index);
      }
      return;
    }
    if (segment === '..') return visit(join(folder, '..'), index + 1);
    const matcher = segmentMatcher(segment);
    for (const entry of safeList(folder)) {
      if (!matcher(entry.name)) continue;
      const path = join(folder, entry.name);
      if (last && entry.isFile()) out.add(path);
      else if (!last && entry.isDirectory()) visit(path, index + 1);
    }
  };
  visit(base, 0);
  return [...out].sort();
}

function safeList(folder: string) {
  try {
    return readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return [];
  }
}

function segmentMatcher(segment: string): (name: string) => boolean {
  if (!/[*?]/.test(segment)) return (name) => name === segment;
  const source = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  const regex = new RegExp(`^${source}$`);
  return (name) => regex.test(name);
}

export const hasGlob = (pattern: string): boolean => /[*?]/.test(pattern);
