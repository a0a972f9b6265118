import { CIKind } from '../../topology/topology.vocabulary';

/**
 * Resource type → CI kind for the common AWS, Google Cloud and Azure types,
 * first match wins; anything else is OTHER. Order matters where names
 * overlap: `google_compute_forwarding_rule` is a load balancer before `*_rule`
 * is a rule, `azurerm_postgresql_firewall_rule` a rule before
 * `azurerm_postgresql_*` a database.
 */
export const TERRAFORM_KIND_RULES: [RegExp, CIKind][] = [
  // Load balancers and CDNs.
  [/^aws_(lb|alb|elb|cloudfront_distribution|api_gateway_rest_api|apigatewayv2_api)$/, CIKind.LOAD_BALANCER],
  [/^google_compute_(global_)?forwarding_rule$|^google_compute_(url_map|backend_service|target_https?_proxy)$/, CIKind.LOAD_BALANCER],
  [/^azurerm_(lb|application_gateway|frontdoor|cdn_frontdoor_profile|cdn_profile|traffic_manager_profile)$/, CIKind.LOAD_BALANCER],
  // Security groups and firewalls.
  [/^aws_(security_group|network_acl|networkfirewall_firewall|wafv2_web_acl)$/, CIKind.NETWORK_DEVICE],
  [/^google_compute_(firewall|security_policy)$/, CIKind.NETWORK_DEVICE],
  [/^azurerm_(network_security_group|firewall|web_application_firewall_policy)$/, CIKind.NETWORK_DEVICE],
  // Gateways and routers.
  [/^aws_(nat_gateway|internet_gateway|vpn_gateway|customer_gateway|ec2_transit_gateway|dx_gateway)$/, CIKind.NETWORK_DEVICE],
  [/^google_compute_(router|router_nat|vpn_gateway|ha_vpn_gateway)$/, CIKind.NETWORK_DEVICE],
  [/^azurerm_(nat_gateway|virtual_network_gateway|vpn_gateway|express_route_gateway)$/, CIKind.NETWORK_DEVICE],
  // Rules, policies and attachments configure something else.
  [/_(rule|rules|policy|policy_attachment|attachment|association|subnet_group|parameter_group|option_group)$/, CIKind.OTHER],
  // Networks.
  [/^aws_(vpc|subnet|route_table|vpc_peering_connection)$/, CIKind.NETWORK],
  [/^google_compute_(network|subnetwork)$/, CIKind.NETWORK],
  [/^azurerm_(virtual_network|subnet|route_table|virtual_network_peering)$/, CIKind.NETWORK],
  // Virtual machines.
  [/^aws_(instance|spot_instance_request)$/, CIKind.VM],
  [/^google_compute_instance$/, CIKind.VM],
  [/^azurerm_((linux|windows)_)?virtual_machine$/, CIKind.VM],
  // Scaling groups and Kubernetes node pools: sets of like VMs. Not REDUNDANCY_GROUPs: the state
  // holds neither their members nor how many must be up.
  [/^aws_autoscaling_group$|^google_compute_(region_)?instance_group_manager$|^azurerm_((linux|windows)_)?virtual_machine_scale_set$/, CIKind.VM],
  [/^(aws_eks_node_group|google_container_node_pool|azurerm_kubernetes_cluster_node_pool)$/, CIKind.VM],
  // Kubernetes clusters.
  [/^(aws_eks_cluster|google_container_cluster|azurerm_kubernetes_cluster)$/, CIKind.KUBERNETES_CLUSTER],
  // Databases.
  [/^aws_(db_instance|rds_cluster|rds_cluster_instance|dynamodb_table|docdb_cluster|neptune_cluster|redshift_cluster)$/, CIKind.DATABASE],
  [/^google_(sql_database_instance|sql_database|spanner_instance|spanner_database|bigtable_instance|firestore_database|alloydb_cluster)$/, CIKind.DATABASE],
  [/^azurerm_(postgresql|mysql|mariadb|mssql|sql)_/, CIKind.DATABASE],
  [/^azurerm_cosmosdb_/, CIKind.DATABASE],
  // Caches.
  [/^aws_elasticache_/, CIKind.CACHE],
  [/^google_(redis|memcache)_instance$/, CIKind.CACHE],
  [/^azurerm_redis_cache$/, CIKind.CACHE],
  // Queues and streams.
  [/^aws_(sqs_queue|sns_topic|kinesis_stream|msk_cluster|mq_broker)$/, CIKind.QUEUE],
  [/^google_pubsub_/, CIKind.QUEUE],
  [/^azurerm_(servicebus_|eventhub)|^azurerm_storage_queue$/, CIKind.QUEUE],
  // Disks and storage.
  [/^aws_ebs_volume$|^google_compute_disk$|^azurerm_managed_disk$/, CIKind.VOLUME],
  [/^aws_(s3_bucket|efs_file_system|fsx_\w+_file_system)$/, CIKind.STORAGE],
  [/^google_(storage_bucket|filestore_instance)$/, CIKind.STORAGE],
  [/^azurerm_storage_(account|container|share)$/, CIKind.STORAGE],
  // DNS.
  [/^aws_route53_/, CIKind.DNS],
  [/^google_dns_/, CIKind.DNS],
  [/^azurerm_(private_)?dns_/, CIKind.DNS],
  // Serverless functions and managed services.
  [/^aws_lambda_function$/, CIKind.FUNCTION],
  [/^google_cloudfunctions2?_function$/, CIKind.FUNCTION],
  [/^azurerm_((linux|windows)_)?function_app$/, CIKind.FUNCTION],
  [/^aws_ecs_service$|^google_cloud_run_(v2_)?service$|^azurerm_container_app$|^azurerm_((linux|windows)_)?web_app$/, CIKind.SERVICE],
  // Certificates, secrets, identity.
  [/^aws_acm_certificate$|^google_compute_(managed_)?ssl_certificate$|^google_certificate_manager_certificate$|^azurerm_key_vault_certificate$/, CIKind.CERTIFICATE],
  [/^aws_(secretsmanager_secret|kms_key)$|^google_(secret_manager_secret|kms_crypto_key)$|^azurerm_key_vault(_secret|_key)?$/, CIKind.SECRET],
  [/^aws_cognito_user_pool$|^azurerm_aadb2c_directory$/, CIKind.IDENTITY_PROVIDER],
  [/^aws_ssm_parameter$|^azurerm_app_configuration$/, CIKind.CONFIG],
  // Accounts.
  [/^aws_organizations_account$|^google_project$|^azurerm_subscription$/, CIKind.CLOUD_ACCOUNT],
];

export function terraformKind(type: string): CIKind {
  return TERRAFORM_KIND_RULES.find(([pattern]) => pattern.test(type))?.[1] ?? CIKind.OTHER;
}
