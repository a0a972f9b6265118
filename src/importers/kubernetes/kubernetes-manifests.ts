import { readFileSync } from 'node:fs';
import { expandInputPaths, isYamlFile } from '../input-files';
import { isPlainObject, parseYamlDocuments } from '../yaml-documents';

/** One Kubernetes API object as read, with where it came from. */
export interface KubeObject {
  value: Record<string, unknown>;
  file: string;
  line: number;
  /** Line of a value inside the object, e.g. `['spec', 'rules', 0]`. */
  lineOf(path: (string | number)[]): number;
}

export interface LoadedManifests {
  objects: KubeObject[];
  warnings: string[];
}

/**
 * The kind of the items of a typed list (`DeploymentList` → `Deployment`), or
 * null for the generic `List` (whose items may be of any kind and must each
 * say theirs) and for anything that is not a list kind.
 */
export function typedListItemKind(listKind: string): string | null {
  const match = /^(.+)List$/.exec(listKind);
  return match ? match[1] : null;
}

/**
 * An item of a list as the object it stands for. The API server leaves `kind`
 * and `apiVersion` out of the items of a typed list (all are of the list's
 * kind minus `List`, in the list's version): they are taken from the list.
 * An item that names its own kind, or an item of a generic `List`, is kept
 * as it is.
 */
export function listItemObject(list: Record<string, unknown>, item: unknown): unknown {
  const itemKind = typeof list.kind === 'string' ? typedListItemKind(list.kind) : null;
  if (!itemKind || !isPlainObject(item) || typeof item.kind === 'string') return item;
  const apiVersion = typeof item.apiVersion === 'string' ? item.apiVersion : list.apiVersion;
  return { ...item, kind: itemKind, ...(typeof apiVersion === 'string' ? { apiVersion } : {}) };
}

/**
 * Reads manifests: multi-document YAML as applied with kubectl, or the JSON
 * of `kubectl get -o json` or of the API server (a `List`, or a typed list
 * such as `DeploymentList`, whose `items` are the objects; the items of a
 * typed list may leave out their kind). Folders are read for `.yaml`, `.yml`
 * and `.json` files. Syntax errors stop the import with file and line; a
 * document that is not an API object is skipped with a warning.
 */
export function loadKubernetesManifests(paths: string[]): LoadedManifests {
  const objects: KubeObject[] = [];
  const warnings: string[] = [];
  for (const file of expandInputPaths(paths, isYamlFile)) {
    for (const doc of parseYamlDocuments(readFileSync(file, 'utf8'), file)) {
      const collect = (value: unknown, prefix: (string | number)[]): void => {
        const line = doc.lineOf(prefix);
        if (!isPlainObject(value) || typeof value.kind !== 'string') {
          warnings.push(`${file}:${line}: skipped a document that is not a Kubernetes object (no kind)`);
          return;
        }
        if (/List$/.test(value.kind) && Array.isArray(value.items)) {
          value.items.forEach((item, i) => collect(listItemObject(value, item), [...prefix, 'items', i]));
          return;
        }
        objects.push({ value, file, line, lineOf: (path) => doc.lineOf([...prefix, ...path]) });
      };
      collect(doc.value, []);
    }
  }
  return { objects, warnings };
}
