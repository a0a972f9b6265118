import { Attributes } from '../../common/graphql/json-object.scalar';
import { DependencyStrength, DependencyType } from '../../topology/topology.vocabulary';
import { ImportCollector, ImportResult, safeKey } from '../import-result';
import { ModuleStep, ResourceAddress, formatAddress, formatModules, parseModulePath, parseResourceAddress } from './terraform-address';
import { terraformKind } from './terraform-kinds';
import { LoadedState, TerraformInstance, TerraformResource } from './terraform-state';

/** `terraform:<stack>/<address>`, e.g. `terraform:network/module.vpc.aws_subnet.private[0]`. */
export function terraformKey(stack: string, address: string): string {
  return safeKey(`terraform:${stack}/${address}`);
}

interface Instance {
  key: string;
  address: ResourceAddress;
  /** Resource address without any instance keys: what `dependencies` lists name. */
  configAddress: string;
  resource: TerraformResource;
  instance: TerraformInstance;
  stack: string;
  file: string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

/** `provider["registry.terraform.io/hashicorp/aws"].east` → `hashicorp/aws.east`. */
function providerName(provider: string | undefined): string | undefined {
  const match = provider ? /provider\["(?:[^"/]+\/)?([^"]+)"\](\.\w+)?/.exec(provider) : null;
  return match ? `${match[1]}${match[2] ?? ''}` : undefined;
}

function regionOf(attributes: Record<string, unknown>): string | undefined {
  const arn = str(attributes.arn);
  const fromArn = arn?.split(':')[3];
  return str(attributes.region) ?? str(attributes.location) ?? (fromArn ? fromArn : undefined) ?? str(attributes.availability_zone) ?? str(attributes.zone);
}

function displayName(instance: Instance): string {
  const attributes = instance.instance.attributes ?? {};
  const tags = attributes.tags;
  const tagName = tags && typeof tags === 'object' && !Array.isArray(tags) ? str((tags as Record<string, unknown>).Name) : undefined;
  const named = ['name', 'identifier', 'function_name', 'bucket'].map((field) => str(attributes[field])).find(Boolean);
  return tagName ?? named ?? formatAddress(instance.address);
}

function attributesOf(instance: Instance): Attributes {
  const raw = instance.instance.attributes ?? {};
  const attributes: Attributes = {
    'terraform.address': formatAddress(instance.address),
    'terraform.type': instance.resource.type,
    'terraform.stack': instance.stack,
  };
  if (instance.address.modules.length) attributes['terraform.module'] = formatModules(instance.address.modules);
  const provider = providerName(instance.resource.provider);
  if (provider) attributes['terraform.provider'] = provider;
  for (const field of ['id', 'arn'] as const) {
    const value = str(raw[field]);
    if (value) attributes[field] = value.slice(0, 1_000);
  }
  const region = regionOf(raw);
  if (region) attributes.region = region;
  if (instance.instance.status === 'tainted') attributes['terraform.tainted'] = true;
  return attributes;
}

/**
 * Names that identify the resource wherever it is seen: the ARN, or an id
 * that is a full resource path (Azure `/subscriptions/...`, Google
 * `projects/...`). Ids that are only unique within an account (a subnet
 * group's name) are not used: identifiers merge CIs that share them.
 */
function identifiersOf(instance: Instance): string[] {
  const raw = instance.instance.attributes ?? {};
  const out: string[] = [];
  const arn = str(raw.arn);
  if (arn?.startsWith('arn:')) out.push(arn);
  const id = str(raw.id);
  if (id && id !== arn && (/^\/subscriptions\/[^/]+\//i.test(id) || /^projects\/[^/]+\/./.test(id))) out.push(id);
  return out;
}

/**
 * Whether `candidate` is in the same module instances as `scope` for the
 * module calls they share: inside `module.web["eu"]`, `module.web.x` means
 * `module.web["eu"].x`, not the `["us"]` one.
 */
function sameModuleInstance(scope: ModuleStep[], candidate: ModuleStep[]): boolean {
  for (let i = 0; i < Math.min(scope.length, candidate.length); i++) {
    if (scope[i].name !== candidate[i].name) return true;
    if (scope[i].key !== candidate[i].key) return false;
  }
  return true;
}

/**
 * Maps state files onto CIs (one per managed resource instance, keyed by its
 * address) and dependencies (each instance depends on what its
 * `dependencies` list names). A listed address has no instance keys, so it
 * stands for every instance of that resource, except that inside a module
 * called with count or for_each it means the instances of the same module
 * instance. Data sources and deposed objects are not imported; addresses
 * that name nothing in the state are warnings.
 */
export function mapTerraformStates(states: LoadedState[]): ImportResult {
  const out = new ImportCollector();
  const byConfig = new Map<string, Instance[]>();
  const instances: Instance[] = [];
  let dataSources = 0;
  let deposed = 0;

  for (const { state, stack, file } of states) {
    state.resources.forEach((resource, index) => {
      if (resource.mode !== 'managed') {
        dataSources += resource.instances.length || 1;
        return;
      }
      let modules: ModuleStep[];
      try {
        modules = parseModulePath(resource.module ?? '');
      } catch (error) {
        out.warn(`${file} resources[${index}]: module '${resource.module}' skipped: ${(error as Error).message}`);
        return;
      }
      for (const instance of resource.instances) {
        if (instance.deposed) {
          deposed++;
          continue;
        }
        const address: ResourceAddress = { modules, mode: 'managed', type: resource.type, name: resource.name, key: instance.index_key ?? undefined };
        const configAddress = `${stack}\u0000${formatAddress(address, false)}`;
        const entry: Instance = { key: terraformKey(stack, formatAddress(address)), address, configAddress, resource, instance, stack, file };
        instances.push(entry);
        const list = byConfig.get(configAddress) ?? [];
        list.push(entry);
        byConfig.set(configAddress, list);
      }
    });
  }

  for (const entry of instances) {
    out.addCi(
      {
        key: entry.key,
        kind: terraformKind(entry.resource.type),
        name: displayName(entry),
        attributes: attributesOf(entry),
        identifiers: identifiersOf(entry),
      },
      `${entry.file}: ${formatAddress(entry.address)} appears more than once; the first is kept`,
    );
  }

  const warned = new Set<string>();
  for (const entry of instances) {
    for (const raw of entry.instance.dependencies ?? entry.instance.depends_on ?? []) {
      const once = (message: string) => {
        const id = `${entry.configAddress}\u0000${raw}`;
        if (!warned.has(id)) out.warn(message);
        warned.add(id);
      };
      let target: ResourceAddress;
      try {
        target = parseResourceAddress(String(raw));
      } catch (error) {
        once(`${entry.file}: ${formatAddress(entry.address, false)} lists dependency '${String(raw)}', which is not a resource address (${(error as Error).message})`);
        continue;
      }
      if (target.mode === 'data') continue;
      const candidates = (byConfig.get(`${entry.stack}\u0000${formatAddress(target, false)}`) ?? []).filter(
        (c) => (target.key === undefined || c.address.key === target.key) && sameModuleInstance(entry.address.modules, c.address.modules),
      );
      if (!candidates.length) {
        once(`${entry.file}: ${formatAddress(entry.address, false)} depends on ${String(raw)}, which is not in the state; no dependency created`);
        continue;
      }
      for (const candidate of candidates) out.addDependency(entry.key, candidate.key, DependencyType.USES, DependencyStrength.HARD);
    }
  }
  if (dataSources) out.warn(`${dataSources} data source instance${dataSources === 1 ? '' : 's'} not imported: data sources read infrastructure, they do not manage it`);
  if (deposed) out.warn(`${deposed} deposed object${deposed === 1 ? '' : 's'} not imported: replaced and waiting to be destroyed`);
  return out.result();
}
