import { join, relative } from 'node:path';
import { DomainError } from '../../common/errors/domain-error';
import { CIKind } from '../../topology/topology.vocabulary';
import { ImportResult } from '../import-result';
import { formatAddress, parseModulePath, parseResourceAddress } from './terraform-address';
import { terraformKind } from './terraform-kinds';
import { mapTerraformStates } from './terraform-mapper';
import { checkState, loadTerraformState, stackName } from './terraform-state';

const FIXTURES = relative(process.cwd(), join(__dirname, '../../../test/fixtures/terraform'));
const fixture = (file: string) => join(FIXTURES, file);

const edges = (result: ImportResult) => result.dependencies.map((d) => `${d.from} -> ${d.to}`);

function problemsOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.details.problems as { path: string; message: string }[];
    throw error;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('Terraform addresses', () => {
  it('reads module paths and resource addresses with count and for_each keys, even keys holding dots and brackets', () => {
    expect(parseModulePath('module.web["eu"].module.db[0]')).toEqual([
      { name: 'web', key: 'eu' },
      { name: 'db', key: 0 },
    ]);
    const address = parseResourceAddress('module.dns["a.b]c"].aws_route53_record.service["api.example.com"]');
    expect(address).toEqual({ modules: [{ name: 'dns', key: 'a.b]c' }], mode: 'managed', type: 'aws_route53_record', name: 'service', key: 'api.example.com' });
    expect(formatAddress(address)).toBe('module.dns["a.b]c"].aws_route53_record.service["api.example.com"]');
    expect(formatAddress(address, false)).toBe('module.dns.aws_route53_record.service');
    expect(parseResourceAddress('module.net.data.aws_ami.ubuntu')).toMatchObject({ mode: 'data', type: 'aws_ami', name: 'ubuntu' });
    expect(() => parseResourceAddress('aws_instance')).toThrow(/expected '\.'/);
    expect(() => parseModulePath('aws_vpc.main')).toThrow(/not a module path/);
  });

  it('names a stack after the state file, or its folder for terraform.tfstate', () => {
    expect(stackName('states/network.tfstate')).toBe('network');
    expect(stackName('/srv/app/terraform.tfstate')).toBe('app');
    expect(stackName('edge.tfstate.backup')).toBe('edge');
  });
});

describe('terraformKind', () => {
  it.each([
    ['aws_instance', CIKind.VM],
    ['google_compute_instance', CIKind.VM],
    ['azurerm_linux_virtual_machine', CIKind.VM],
    ['azurerm_virtual_machine_extension', CIKind.OTHER],
    ['aws_autoscaling_group', CIKind.VM],
    ['aws_autoscaling_policy', CIKind.OTHER],
    ['azurerm_linux_virtual_machine_scale_set', CIKind.VM],
    ['azurerm_windows_virtual_machine_scale_set', CIKind.VM],
    ['azurerm_virtual_machine_scale_set', CIKind.VM],
    ['azurerm_virtual_machine_scale_set_extension', CIKind.OTHER],
    ['google_compute_instance_group_manager', CIKind.VM],
    ['google_compute_region_instance_group_manager', CIKind.VM],
    ['google_compute_instance_template', CIKind.OTHER],
    ['aws_eks_node_group', CIKind.VM],
    ['google_container_node_pool', CIKind.VM],
    ['azurerm_kubernetes_cluster_node_pool', CIKind.VM],
    ['aws_db_instance', CIKind.DATABASE],
    ['aws_rds_cluster', CIKind.DATABASE],
    ['google_sql_database_instance', CIKind.DATABASE],
    ['azurerm_postgresql_flexible_server', CIKind.DATABASE],
    ['azurerm_postgresql_firewall_rule', CIKind.OTHER],
    ['aws_db_subnet_group', CIKind.OTHER],
    ['aws_lb', CIKind.LOAD_BALANCER],
    ['aws_elb', CIKind.LOAD_BALANCER],
    ['google_compute_forwarding_rule', CIKind.LOAD_BALANCER],
    ['azurerm_lb', CIKind.LOAD_BALANCER],
    ['aws_lb_listener_rule', CIKind.OTHER],
    ['aws_vpc', CIKind.NETWORK],
    ['aws_subnet', CIKind.NETWORK],
    ['google_compute_network', CIKind.NETWORK],
    ['azurerm_virtual_network', CIKind.NETWORK],
    ['aws_security_group', CIKind.NETWORK_DEVICE],
    ['aws_security_group_rule', CIKind.OTHER],
    ['google_compute_firewall', CIKind.NETWORK_DEVICE],
    ['azurerm_network_security_group', CIKind.NETWORK_DEVICE],
    ['aws_s3_bucket', CIKind.STORAGE],
    ['aws_s3_bucket_policy', CIKind.OTHER],
    ['google_storage_bucket', CIKind.STORAGE],
    ['azurerm_storage_account', CIKind.STORAGE],
    ['aws_ebs_volume', CIKind.VOLUME],
    ['aws_route53_zone', CIKind.DNS],
    ['aws_route53_record', CIKind.DNS],
    ['google_dns_managed_zone', CIKind.DNS],
    ['azurerm_dns_zone', CIKind.DNS],
    ['aws_sqs_queue', CIKind.QUEUE],
    ['google_pubsub_topic', CIKind.QUEUE],
    ['azurerm_servicebus_namespace', CIKind.QUEUE],
    ['azurerm_storage_queue', CIKind.QUEUE],
    ['azurerm_storage_share', CIKind.STORAGE],
    ['aws_elasticache_replication_group', CIKind.CACHE],
    ['google_redis_instance', CIKind.CACHE],
    ['azurerm_redis_cache', CIKind.CACHE],
    ['aws_eks_cluster', CIKind.KUBERNETES_CLUSTER],
    ['google_container_cluster', CIKind.KUBERNETES_CLUSTER],
    ['azurerm_kubernetes_cluster', CIKind.KUBERNETES_CLUSTER],
    ['aws_lambda_function', CIKind.FUNCTION],
    ['google_cloudfunctions2_function', CIKind.FUNCTION],
    ['azurerm_linux_function_app', CIKind.FUNCTION],
    ['aws_acm_certificate', CIKind.CERTIFICATE],
    ['aws_secretsmanager_secret', CIKind.SECRET],
    ['random_password', CIKind.OTHER],
  ])('%s is %s', (type, kind) => {
    expect(terraformKind(type)).toBe(kind);
  });
});

describe('Terraform state import', () => {
  const result = mapTerraformStates([loadTerraformState(fixture('network.tfstate')), loadTerraformState(fixture('app/terraform.tfstate'))]);

  it('makes each managed resource instance a CI keyed by stack and address, with count and for_each keys', () => {
    expect(result.cis.map((c) => `${c.key} ${c.kind}`)).toEqual([
      'terraform:network/aws_vpc.main NETWORK',
      'terraform:network/aws_subnet.private[0] NETWORK',
      'terraform:network/aws_subnet.private[1] NETWORK',
      'terraform:network/aws_internet_gateway.gw NETWORK_DEVICE',
      'terraform:network/aws_route53_zone.internal DNS',
      'terraform:network/aws_route53_record.service["api.brightcart.internal"] DNS',
      // A key cannot hold whitespace: escaped.
      'terraform:network/aws_route53_record.service["shop%20front"] DNS',
      'terraform:app/module.web["eu"].aws_security_group.this NETWORK_DEVICE',
      'terraform:app/module.web["eu"].aws_instance.server[0] VM',
      'terraform:app/module.web["eu"].aws_instance.server[1] VM',
      'terraform:app/module.web["us"].aws_security_group.this NETWORK_DEVICE',
      'terraform:app/module.web["us"].aws_instance.server[0] VM',
      'terraform:app/aws_lb.front LOAD_BALANCER',
      'terraform:app/aws_security_group.app NETWORK_DEVICE',
      'terraform:app/aws_security_group.db NETWORK_DEVICE',
      'terraform:app/aws_db_subnet_group.db OTHER',
      'terraform:app/module.data.aws_db_instance.primary DATABASE',
      'terraform:app/module.data.module.replica[0].aws_db_instance.replica DATABASE',
      'terraform:app/aws_elasticache_replication_group.sessions CACHE',
      'terraform:app/aws_sqs_queue.orders QUEUE',
      'terraform:app/aws_lambda_function.worker FUNCTION',
      'terraform:app/aws_s3_bucket.assets STORAGE',
      'terraform:app/aws_eks_cluster.main KUBERNETES_CLUSTER',
    ]);
  });

  it('keeps the address, type, module, provider, id, ARN and region, and uses the ARN as identifier', () => {
    expect(result.cis.find((c) => c.key === 'terraform:app/module.web["eu"].aws_instance.server[1]')).toEqual({
      key: 'terraform:app/module.web["eu"].aws_instance.server[1]',
      kind: 'VM',
      name: 'web-eu-1',
      attributes: {
        'terraform.address': 'module.web["eu"].aws_instance.server[1]',
        'terraform.type': 'aws_instance',
        'terraform.stack': 'app',
        'terraform.module': 'module.web["eu"]',
        'terraform.provider': 'hashicorp/aws',
        id: 'i-0eu1',
        arn: 'arn:aws:ec2:eu-west-1:123456789012:instance/i-0eu1',
        region: 'eu-west-1',
        'terraform.tainted': true,
      },
      identifiers: ['arn:aws:ec2:eu-west-1:123456789012:instance/i-0eu1'],
    });
    expect(result.cis.find((c) => c.key === 'terraform:app/module.web["us"].aws_security_group.this')!.attributes).toMatchObject({
      'terraform.provider': 'hashicorp/aws.us',
      region: 'us-east-1',
    });
    // An id that is only a name within the account is no identifier.
    expect(result.cis.find((c) => c.key === 'terraform:app/aws_db_subnet_group.db')!.identifiers).toBeUndefined();
  });

  it('turns each listed dependency into edges to every matching instance, within the same module instance, keeping cycles and dropping self-edges', () => {
    expect(edges(result)).toEqual([
      'terraform:network/aws_subnet.private[0] -> terraform:network/aws_vpc.main',
      'terraform:network/aws_subnet.private[1] -> terraform:network/aws_vpc.main',
      'terraform:network/aws_internet_gateway.gw -> terraform:network/aws_vpc.main',
      'terraform:network/aws_route53_zone.internal -> terraform:network/aws_vpc.main',
      'terraform:network/aws_route53_record.service["api.brightcart.internal"] -> terraform:network/aws_route53_zone.internal',
      'terraform:network/aws_route53_record.service["shop%20front"] -> terraform:network/aws_route53_zone.internal',
      // module.web.aws_security_group.this, seen from inside module.web["eu"], is the ["eu"] one.
      'terraform:app/module.web["eu"].aws_instance.server[0] -> terraform:app/module.web["eu"].aws_security_group.this',
      'terraform:app/module.web["eu"].aws_instance.server[1] -> terraform:app/module.web["eu"].aws_security_group.this',
      'terraform:app/module.web["us"].aws_instance.server[0] -> terraform:app/module.web["us"].aws_security_group.this',
      // Seen from the root, it is every instance.
      'terraform:app/aws_lb.front -> terraform:app/module.web["eu"].aws_instance.server[0]',
      'terraform:app/aws_lb.front -> terraform:app/module.web["eu"].aws_instance.server[1]',
      'terraform:app/aws_lb.front -> terraform:app/module.web["us"].aws_instance.server[0]',
      'terraform:app/aws_lb.front -> terraform:app/module.web["eu"].aws_security_group.this',
      'terraform:app/aws_lb.front -> terraform:app/module.web["us"].aws_security_group.this',
      'terraform:app/aws_security_group.app -> terraform:app/aws_security_group.db',
      'terraform:app/aws_security_group.db -> terraform:app/aws_security_group.app',
      'terraform:app/module.data.aws_db_instance.primary -> terraform:app/aws_db_subnet_group.db',
      'terraform:app/module.data.aws_db_instance.primary -> terraform:app/aws_security_group.db',
      'terraform:app/module.data.module.replica[0].aws_db_instance.replica -> terraform:app/module.data.aws_db_instance.primary',
      'terraform:app/aws_lambda_function.worker -> terraform:app/aws_sqs_queue.orders',
      'terraform:app/aws_lambda_function.worker -> terraform:app/module.data.aws_db_instance.primary',
      'terraform:app/aws_lambda_function.worker -> terraform:app/aws_elasticache_replication_group.sessions',
      'terraform:app/aws_eks_cluster.main -> terraform:app/aws_security_group.app',
    ]);
    expect(new Set(result.dependencies.map((d) => `${d.type} ${d.strength}`))).toEqual(new Set(['USES HARD']));
  });

  it('reports dependencies on what is not in the state, and counts data sources and deposed objects', () => {
    expect(result.warnings).toEqual([
      `${fixture('app/terraform.tfstate')}: aws_lambda_function.worker depends on aws_sqs_queue.dead_letters, which is not in the state; no dependency created`,
      '1 data source instance not imported: data sources read infrastructure, they do not manage it',
      '1 deposed object not imported: replaced and waiting to be destroyed',
    ]);
  });

  it('uses Azure and Google ids, which are full resource paths, as identifiers', () => {
    const state = checkState(
      {
        version: 4,
        resources: [
          { mode: 'managed', type: 'azurerm_redis_cache', name: 'c', instances: [{ attributes: { id: '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Cache/redis/c' } }] },
          { mode: 'managed', type: 'google_sql_database_instance', name: 'db', instances: [{ attributes: { id: 'projects/shop/instances/orders', name: 'orders' } }] },
        ],
      },
      'clouds.tfstate',
    );
    expect(mapTerraformStates([{ file: 'clouds.tfstate', stack: 'clouds', state }]).cis.map((c) => [c.key, c.kind, c.identifiers])).toEqual([
      ['terraform:clouds/azurerm_redis_cache.c', 'CACHE', ['/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Cache/redis/c']],
      ['terraform:clouds/google_sql_database_instance.db', 'DATABASE', ['projects/shop/instances/orders']],
    ]);
  });

  it('warns once per resource, not per instance, about a dependency it cannot find', () => {
    const state = checkState(
      {
        version: 4,
        resources: [
          {
            mode: 'managed',
            type: 'aws_instance',
            name: 'web',
            instances: [0, 1, 2].map((i) => ({ index_key: i, attributes: { id: `i-${i}` }, dependencies: ['aws_subnet.gone', 'not an address'] })),
          },
        ],
      },
      'inline.tfstate',
    );
    expect(mapTerraformStates([{ file: 'inline.tfstate', stack: 'inline', state }]).warnings).toEqual([
      'inline.tfstate: aws_instance.web depends on aws_subnet.gone, which is not in the state; no dependency created',
      "inline.tfstate: aws_instance.web lists dependency 'not an address', which is not a resource address (expected '.' at position 4)",
    ]);
  });

  it('refuses older state formats, terraform show output and broken JSON with a clear message', () => {
    expect(problemsOf(() => loadTerraformState(fixture('malformed/legacy-v3.tfstate')))).toEqual([
      {
        path: fixture('malformed/legacy-v3.tfstate'),
        message: 'state format version 3 is not supported; svcmap reads format version 4, written by Terraform 0.12 and later (and OpenTofu)',
      },
    ]);
    expect(problemsOf(() => loadTerraformState(fixture('malformed/show.json')))[0].message).toMatch(/terraform show -json` output, not a state file/);
    expect(problemsOf(() => loadTerraformState(fixture('malformed/truncated.tfstate')))).toEqual([
      { path: `${fixture('malformed/truncated.tfstate')}:11`, message: expect.stringMatching(/^not valid JSON: /) },
    ]);
    expect(problemsOf(() => checkState({ version: 4, resources: [{ mode: 'managed', instances: [] }] }, 'x.tfstate'))).toEqual([
      { path: 'x.tfstate resources[0].type', message: 'must be a non-empty string' },
      { path: 'x.tfstate resources[0].name', message: 'must be a non-empty string' },
    ]);
    expect(problemsOf(() => loadTerraformState(fixture('nowhere.tfstate')))).toEqual([{ path: fixture('nowhere.tfstate'), message: 'no such file' }]);
  });
});
