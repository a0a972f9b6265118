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
 * Reads manifests: multi-document YAML as applied with kubectl, or the JSON
 * of `kubectl get -o json` (a `List`, or a typed list such as
 * `DeploymentList`, whose `items` are the objects). Folders are read for
 * `.yaml`, `.yml` and `.json` files. Syntax errors stop the import with file
 * and line; a document that is not an API object is skipped with a warning.
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
          value.items.forEach((item, i) => collect(item, [...prefix, 'items', i]));
          return;
        }
        objects.push({ value, file, line, lineOf: (path) => doc.lineOf([...prefix, ...path]) });
      };
      collect(doc.value, []);
    }
  }
  return { objects, warnings };
}
