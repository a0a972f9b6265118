import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { expandGlob, expandInputPaths, hasGlob, isYamlFile } from '../input-files';
import { SourceDocument, isPlainObject, listAt, parseYamlDocuments, stringAt } from '../yaml-documents';

/** One catalog entity as written, with the file and line it came from. */
export interface CatalogEntity {
  apiVersion?: string;
  /** Lower-cased, as Backstage compares kinds ignoring case. */
  kind: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
  file: string;
  line: number;
  /** Line of a value inside the entity, e.g. `['spec', 'dependsOn', 2]`. */
  lineOf(path: (string | number)[]): number;
}

export interface LoadedCatalog {
  entities: CatalogEntity[];
  warnings: string[];
}

/**
 * Reads Backstage catalog files (multi-document YAML) and follows `Location`
 * entities the way Backstage does for `file` locations: `spec.target` and
 * each of `spec.targets`, relative to the file that holds the Location, with
 * `*` and `**` patterns. Each file is read once, so Locations may point at
 * each other. URL locations are not fetched (a warning says so). Syntax
 * errors stop the import with file and line; a document that is not an
 * entity is skipped with a warning.
 */
export function loadBackstageCatalog(paths: string[]): LoadedCatalog {
  const entities: CatalogEntity[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const queue = expandInputPaths(paths, isYamlFile);

  while (queue.length) {
    const file = queue.shift()!;
    const identity = resolve(file);
    if (seen.has(identity)) continue;
    seen.add(identity);
    for (const doc of parseYamlDocuments(readFileSync(file, 'utf8'), file)) {
      const entity = toEntity(doc, warnings);
      if (!entity) continue;
      if (entity.kind === 'location') queue.push(...locationTargets(entity, warnings));
      else entities.push(entity);
    }
  }
  return { entities, warnings };
}

function toEntity(doc: SourceDocument, warnings: string[]): CatalogEntity | null {
  const where = `${doc.file}:${doc.line}`;
  if (!isPlainObject(doc.value)) {
    warnings.push(`${where}: skipped a document that is not a mapping`);
    return null;
  }
  const kind = stringAt(doc.value, 'kind');
  const name = stringAt(doc.value, 'metadata', 'name');
  if (!kind || !name) {
    warnings.push(`${where}: skipped a document without ${kind ? 'metadata.name' : 'kind'}; not a catalog entity`);
    return null;
  }
  return {
    apiVersion: stringAt(doc.value, 'apiVersion'),
    kind: kind.toLowerCase(),
    metadata: doc.value.metadata as Record<string, unknown>,
    spec: isPlainObject(doc.value.spec) ? doc.value.spec : {},
    file: doc.file,
    line: doc.line,
    lineOf: doc.lineOf,
  };
}

function locationTargets(location: CatalogEntity, warnings: string[]): string[] {
  const type = stringAt(location.spec, 'type') ?? 'file';
  const optional = stringAt(location.spec, 'presence') === 'optional';
  const targets: { target: unknown; line: number }[] = [
    ...listAt(location.spec, 'target').map((target) => ({ target, line: location.lineOf(['spec', 'target']) })),
    ...listAt(location.spec, 'targets').map((target, i) => ({ target, line: location.lineOf(['spec', 'targets', i]) })),
  ];
  const out: string[] = [];
  for (const { target, line } of targets) {
    const where = `${location.file}:${line}`;
    if (typeof target !== 'string' || !target.trim()) {
      warnings.push(`${where}: Location target is not a string`);
      continue;
    }
    if (type !== 'file' || /^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
      warnings.push(`${where}: Location target ${target} not followed: only files are read, not ${type === 'file' ? 'URLs' : `${type} locations`}`);
      continue;
    }
    const base = dirname(location.file);
    if (hasGlob(target)) {
      const matches = isAbsolute(target) ? expandGlob('/', target) : expandGlob(base, target);
      if (!matches.length && !optional) warnings.push(`${where}: Location target ${target} matches no file`);
      out.push(...matches);
      continue;
    }
    const path = isAbsolute(target) ? target : join(base, target);
    if (existsSync(path) && statSync(path).isDirectory()) {
      warnings.push(`${where}: Location target ${target} is a folder; name the files or a pattern such as ${target.replace(/\/$/, '')}/*.yaml`);
    } else if (existsSync(path)) {
      out.push(path);
    } else if (!optional) {
      warnings.push(`${where}: Location target ${target} not found`);
    }
  }
  return out;
}
