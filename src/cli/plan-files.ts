import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { expandInputPaths } from '../importers/input-files';
import { TopologyLocation, parseTopologyFile } from '../topology-as-code/topology-file';
import { CIInput } from '../topology/dto/ci.input';
import { DependencyInput } from '../topology/dto/dependency.input';
import { DependencyStrength, DependencyType } from '../topology/topology.vocabulary';

/** Everything the files say about one source, merged. */
export interface TopologySource {
  /** `metadata.name`, or the file name without extension. */
  name: string;
  /** `topology-file:<name>`, the source the files are synced as. */
  source: string;
  files: string[];
  cis: CIInput[];
  dependencies: DependencyInput[];
  /** Where each dependency is written (the first place, for one written twice), same order as `dependencies`. */
  dependencyLocations: TopologyLocation[];
}

/** `file:line path`, the form every problem of a topology file is named by. */
export const describeLocation = (at: TopologyLocation) => `${at.file}:${at.line} ${at.path}`;

const isTopologyFile = (name: string) => /\.ya?ml$/i.test(name);

export const dependencyId = (d: { from: string; to: string }) => `${d.from}\u0000${d.to}`;

/**
 * Reads topology files and folders (their `.yaml`/`.yml` files), groups them
 * by the source they describe and merges each group into one list of CIs
 * and dependencies. Every parse problem of every file is reported at once,
 * with file and line; so is a key defined twice, or a dependency written
 * twice with different type or strength.
 */
export function loadTopologySources(paths: string[]): TopologySource[] {
  if (!paths.length) throw DomainError.badInput([{ path: '-f', message: 'name at least one topology file or folder' }]);
  const files = expandInputPaths(paths, isTopologyFile);
  if (!files.length) throw DomainError.badInput(paths.map((p) => ({ path: p, message: 'holds no .yaml or .yml file' })));
  const problems: FieldProblem[] = [];
  const sources = new Map<string, TopologySource>();
  const keyOrigin = new Map<string, Map<string, string>>();
  const dependencyOrigin = new Map<string, Map<string, { dependency: DependencyInput; at: TopologyLocation }>>();

  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    let document;
    try {
      document = parseTopologyFile(text, file);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push(...((error.details.problems as FieldProblem[] | undefined) ?? [{ path: file, message: error.message }]));
      continue;
    }
    const name = document.name === file ? basename(file).replace(/\.ya?ml$/i, '') : document.name;
    const source: TopologySource = sources.get(name) ?? { name, source: `topology-file:${name}`, files: [], cis: [], dependencies: [], dependencyLocations: [] };
    sources.set(name, source);
    source.files.push(file);
    const keys = keyOrigin.get(name) ?? new Map<string, string>();
    keyOrigin.set(name, keys);
    document.cis.forEach((ci, index) => {
      const here = `${file}:${document.locations.cis[index].line}`;
      const first = keys.get(ci.key);
      if (first) {
        problems.push({ path: here, message: `key '${ci.key}' is already defined at ${first} (source ${source.source})` });
        return;
      }
      keys.set(ci.key, here);
      source.cis.push(ci);
    });
    const dependencies = dependencyOrigin.get(name) ?? new Map<string, { dependency: DependencyInput; at: TopologyLocation }>();
    dependencyOrigin.set(name, dependencies);
    document.dependencies.forEach((dependency, index) => {
      const at = document.locations.dependencies[index];
      const id = dependencyId(dependency);
      const first = dependencies.get(id);
      if (!first) {
        dependencies.set(id, { dependency, at });
        source.dependencies.push(dependency);
        source.dependencyLocations.push(at);
        return;
      }
      const describe = (d: DependencyInput) => `${(d.type ?? DependencyType.USES).toLowerCase()}/${(d.strength ?? DependencyStrength.HARD).toLowerCase()}`;
      if (describe(first.dependency) !== describe(dependency)) {
        problems.push({
          path: describeLocation(at),
          message: `dependency ${dependency.from} -> ${dependency.to} is written as ${describe(dependency)} here and as ${describe(first.dependency)} at ${first.at.file}:${first.at.line} (source ${source.source})`,
        });
      }
    });
  }
  if (problems.length) throw DomainError.badInput(problems);
  return [...sources.values()];
}
