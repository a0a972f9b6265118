import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { DomainError } from '../../common/errors/domain-error';
import { isPlainObject } from '../yaml-documents';

/** The parts of a state file (format version 4) the importer reads. */
export interface TerraformState {
  version: 4;
  terraform_version?: string;
  serial?: number;
  lineage?: string;
  resources: TerraformResource[];
}

export interface TerraformResource {
  /** Module instance path, absent for the root module: `module.app["eu"]`. */
  module?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  provider?: string;
  /** `list` (count) or `map` (for_each) when the resource has instance keys. */
  each?: 'list' | 'map';
  instances: TerraformInstance[];
}

export interface TerraformInstance {
  index_key?: number | string;
  /** Set on an object replaced with create_before_destroy and not yet destroyed. */
  deposed?: string;
  status?: 'tainted';
  attributes?: Record<string, unknown>;
  /** Addresses of the resources this instance depends on (no instance keys). */
  dependencies?: string[];
  /** The same, as Terraform 0.12's first state files called it. */
  depends_on?: string[];
}

/** A state file and the name it stands for (the file name without `.tfstate`). */
export interface LoadedState {
  file: string;
  stack: string;
  state: TerraformState;
}

/**
 * The stack a state describes: the file name without its extension, or the
 * folder's name for the conventional `terraform.tfstate`, so
 * `network/terraform.tfstate` and `network.tfstate` are both `network`.
 */
export function stackName(file: string): string {
  const stem = basename(file).replace(/\.(tfstate|json)(\.backup)?$/i, '');
  return stem === 'terraform' || stem === 'default' ? basename(dirname(resolve(file))) : stem;
}

function lineAt(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

/** Checks a parsed document is a version 4 state, with a message that says what it is otherwise. */
export function checkState(value: unknown, file: string): TerraformState {
  const fail = (message: string): never => {
    throw DomainError.badInput([{ path: file, message }]);
  };
  if (!isPlainObject(value)) return fail('not a Terraform state file: expected a JSON object');
  if ('format_version' in value && ('values' in value || 'resource_changes' in value || 'planned_values' in value)) {
    return fail('this is `terraform show -json` output, not a state file; give the state itself (terraform state pull > FILE.tfstate)');
  }
  if (!('version' in value)) return fail('not a Terraform state file: it has no "version"');
  if (value.version !== 4) {
    return fail(
      `state format version ${JSON.stringify(value.version)} is not supported; svcmap reads format version 4, written by Terraform 0.12 and later (and OpenTofu)`,
    );
  }
  if (!Array.isArray(value.resources)) return fail('not a Terraform state file: "resources" must be a list');
  const problems: { path: string; message: string }[] = [];
  value.resources.forEach((resource: unknown, index: number) => {
    const where = `${file} resources[${index}]`;
    if (!isPlainObject(resource)) return problems.push({ path: where, message: 'must be an object' });
    for (const field of ['mode', 'type', 'name']) {
      if (typeof resource[field] !== 'string' || !resource[field]) problems.push({ path: `${where}.${field}`, message: 'must be a non-empty string' });
    }
    if (!Array.isArray(resource.instances)) problems.push({ path: `${where}.instances`, message: 'must be a list' });
  });
  if (problems.length) throw DomainError.badInput(problems);
  return value as unknown as TerraformState;
}

/** Reads and checks one state file; JSON errors name the line. */
export function loadTerraformState(file: string): LoadedState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw DomainError.badInput([{ path: file, message: 'no such file' }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const where = position ? `${file}:${lineAt(text, Number(position[1]))}` : file;
    throw DomainError.badInput([{ path: where, message: `not valid JSON: ${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')}` }]);
  }
  return { file, stack: stackName(file), state: checkState(value, file) };
}
