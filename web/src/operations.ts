/** Every GraphQL document the app sends; named, so the service's metrics and logs say what the browser asked. */

export const ME = `query BrowserMe { me { name role } }`;

export const SEARCH = `query BrowserSearch($filter: CIFilterInput, $first: Int) {
  cis(filter: $filter, first: $first) { totalCount edges { node { key name kind owner status } } }
}`;

const MAP_FIELDS = `truncated root { key name kind }
  nodes { key name kind owner environment status minHealthy criticality }
  edges { from to type strength }`;

export const SERVICE_MAP = `query BrowserServiceMap($key: String!) { map: serviceMap(key: $key) { ${MAP_FIELDS} } }`;

export const UPSTREAM = `query BrowserUpstream($key: String!, $maxDepth: Int) { map: upstream(key: $key, maxDepth: $maxDepth) { ${MAP_FIELDS} } }`;

/** How many dependents a panel lists and the map around a cause draws: a shared DNS has tens of thousands. */
export const NEIGHBOURS_SHOWN = 100;

export const DEPENDENTS = `query BrowserDependents($key: String!) {
  ci(key: $key) { key dependents(first: ${NEIGHBOURS_SHOWN}) { type strength consumer { key name kind owner environment status minHealthy criticality } } }
}`;

export const CI_DETAIL = `query BrowserCI($key: String!) {
  ci(key: $key) {
    key name kind owner environment description tags attributes status version
    criticality revenuePerHour usersAffected minHealthy updatedAt
    dependencies { type strength provider { key name kind } }
    dependentCount dependents(first: ${NEIGHBOURS_SHOWN}) { type strength consumer { key name kind } }
    history(first: 20) { totalCount edges { node { id at actor source operation entity key to fields { field from to } } } }
  }
}`;

export const BLAST = `query BrowserBlastRadius($keys: [String!]!, $first: Int, $after: String) {
  blastRadius(keys: $keys) {
    failedKeys score priority depthLimited
    totals { impacted down degraded }
    businessImpacts { ci { key name kind criticality } state score priority distance chain reason }
    impacted(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { key kind state distance chain reason ci { name owner } } }
    }
  }
}`;

export const INCIDENTS = `query BrowserIncidents {
  activeIncidents {
    id rank priority score startedAt impactedCount
    alerts { id key severity summary startsAt }
    probableCause { key kind score explainedCount unexplainedCount evidence { alerting startedFirst exampleChain dependenciesAlerting } }
    candidates { key kind rank score }
    businessImpacts { ci { key name } state priority reason }
  }
}`;

export const UPSERT_CI = `mutation BrowserEditCI($input: [CIInput!]!) { upsertCIs(input: $input) { updated unchanged cis { key version } } }`;

export const UPSERT_DEPENDENCY = `mutation BrowserAddDependency($input: [DependencyInput!]!) {
  upsertDependencies(input: $input) { created updated dependencies { from to type strength } }
}`;

export const DELETE_DEPENDENCY = `mutation BrowserRemoveDependency($input: [DependencyRefInput!]!) { deleteDependencies(input: $input) { deleted notFound } }`;
