#!/usr/bin/env node
'use strict';
/*
 * check-seeds.js: standalone checker for svcmap topology seed files.
 *
 * Loads every seeds/*.yaml (or the files given on the command line), checks
 * the topology-as-code rules (see the header of seeds/demo-enterprise.yaml),
 * prints counts, and exits non-zero with one clear line per violation.
 *
 * Usage:
 *   node seeds/check-seeds.js [file.yaml ...] [--strict]
 *   node seeds/check-seeds.js --trace KEY [--soft] [--depth N]
 *        print what KEY depends on, as a tree (HARD edges only unless --soft)
 *   node seeds/check-seeds.js --impact KEY[,KEY...]
 *        fail those CIs and print the blast radius (least fixed point of the
 *        product's impact rules), business functions first
 *
 * --strict turns warnings into errors.
 * Plain Node 20, CommonJS; the only dependency is js-yaml.
 */

const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

const KINDS = [
  'business_function', 'business_service', 'application', 'service', 'api',
  'database', 'cache', 'queue', 'storage', 'host', 'vm', 'container',
  'kubernetes_cluster', 'kubernetes_namespace', 'kubernetes_workload',
  'load_balancer', 'network_device', 'network', 'dns', 'certificate',
  'identity_provider', 'cloud_account', 'region', 'zone', 'datacenter', 'saas',
  'external', 'redundancy_group', 'function', 'volume', 'secret', 'config',
  'other',
];

const DEP_TYPES = [
  'calls', 'uses', 'stores_data_in', 'reads_from', 'publishes_to',
  'consumes_from', 'runs_on', 'hosted_on', 'deployed_in', 'routes_through',
  'resolves_via', 'authenticates_via', 'secured_by', 'mounts', 'configured_by',
  'composed_of', 'has_member',
];

const STRENGTHS = ['hard', 'soft'];
const ENVIRONMENTS = ['production', 'staging', 'development', 'shared'];
const CRITICALITIES = ['tier_1', 'tier_2', 'tier_3', 'tier_4'];
const BUSINESS_KINDS = new Set(['business_function', 'business_service']);

// Seed convention: the key prefix (text before the first ':') names the layer.
const PREFIX_KINDS = {
  bf: ['business_function'],
  bs: ['business_service'],
  app: ['application'],
  svc: ['service'],
  api: ['api'],
  function: ['function'],
  db: ['database'],
  cache: ['cache'],
  mq: ['queue'],
  storage: ['storage'],
  volume: ['volume'],
  secret: ['secret'],
  config: ['config'],
  container: ['container'],
  k8s: ['kubernetes_cluster', 'kubernetes_namespace', 'kubernetes_workload'],
  vm: ['vm'],
  host: ['host'],
  lb: ['load_balancer'],
  net: ['network_device', 'network'],
  dns: ['dns'],
  cert: ['certificate'],
  idp: ['identity_provider'],
  saas: ['saas'],
  ext: ['external'],
  rg: ['redundancy_group'],
  acct: ['cloud_account'],
  region: ['region'],
  zone: ['zone'],
  datacenter: ['datacenter'],
  other: ['other'],
};

// Kinds that count as "infrastructure" when checking that every business
// function reaches down to something physical or provided by a third party.
const INFRA_KINDS = new Set([
  'host', 'vm', 'kubernetes_cluster', 'network', 'network_device', 'datacenter',
  'zone', 'region', 'cloud_account', 'saas', 'external',
]);

const TOP_FIELDS = ['apiVersion', 'kind', 'metadata', 'cis'];
const METADATA_FIELDS = ['name', 'description', 'currency', 'owner'];
const CI_FIELDS = [
  'key', 'kind', 'name', 'description', 'owner', 'environment', 'tags',
  'criticality', 'revenuePerHour', 'usersAffected', 'minHealthy', 'attributes',
  'dependsOn',
];
const DEP_FIELDS = ['key', 'type', 'strength'];

const KEY_RE = /^[^\s]{1,256}$/;
// C0 controls, DEL, C1 controls; also Unicode line/paragraph separators.
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const TAG_RE = /^[a-z0-9][a-z0-9-]*$/;
const NAME_RE = /^[a-z0-9][a-z0-9-]*$/;

// Extra expectations for particular seed files (by metadata.name): the demo
// must keep telling the product's story.
const EXPECTATIONS = {
  'demo-enterprise': {
    minCis: 90,
    minBusinessFunctions: 7,
    requiredBusinessFunctions: [
      'bf:online-payments', 'bf:checkout', 'bf:customer-login',
      'bf:order-fulfilment', 'bf:reporting', 'bf:customer-support',
      'bf:executive-support',
    ],
    minGroups: 3,
    minNestedGroups: 1,
    minSoftDeps: 5,
    minCycles: 1,
    everyKindExcept: ['other'],
    // [from, to, hardOnly, note]
    paths: [
      ['bf:online-payments', 'svc:payment-processor', true,
        'the payment processor must sit under online payments through HARD links'],
      ['bf:checkout', 'svc:payment-processor', true,
        'the payment processor must sit under checkout through HARD links'],
      ['bf:executive-support', 'app:exec-mail-client', true,
        'the executive email client must sit under executive support'],
    ],
    // [key, allowed criticalities of the business functions above it]
    onlyUnder: [
      ['app:exec-mail-client', ['tier_3', 'tier_4'],
        'the executive email client must only carry low-tier functions'],
    ],
    groups: [
      // [key, minHealthy, member count]
      ['rg:shared-postgres', 2, 3],
      ['rg:kafka-cluster', 2, 3],
      ['rg:web-tier', 2, 3],
    ],
  },
};

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNonEmptyString = (v) => typeof v === 'string' && v.trim().length > 0;
const show = (v) => JSON.stringify(v);
// Keys are printed as-is unless they hold invisible characters.
const safeKey = (k) => (CONTROL_RE.test(k) || /\s/.test(k) ? JSON.stringify(k) : k);

function parseArgs(argv) {
  const opts = { files: [], strict: false, trace: null, soft: false, depth: Infinity, impact: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--strict') opts.strict = true;
    else if (a === '--soft') opts.soft = true;
    else if (a === '--trace') opts.trace = argv[++i];
    else if (a === '--depth') opts.depth = Number(argv[++i]);
    else if (a === '--impact') opts.impact = String(argv[++i] || '').split(',').filter(Boolean);
    else if (a === '-h' || a === '--help') opts.help = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else opts.files.push(a);
  }
  if ((opts.trace === undefined) || (opts.impact && opts.impact.length === 0)) {
    throw new Error('--trace and --impact need a key');
  }
  if (Number.isNaN(opts.depth)) throw new Error('--depth needs a number');
  return opts;
}

function seedFiles(opts) {
  if (opts.files.length) return opts.files.map((f) => path.resolve(f));
  const dir = __dirname;
  return fs.readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

// ---------------------------------------------------------------------------
// Validation of one document
// ---------------------------------------------------------------------------

/**
 * Validates a parsed topology document. Returns { errors, warnings, graph }.
 * graph: { cis: Map key -> ci, deps: Map key -> [{key,type,strength}],
 *          rdeps: Map key -> [{from,type,strength}] } built from the valid parts.
 */
function validate(doc, label) {
  const errors = [];
  const warnings = [];
  const err = (where, msg) => errors.push(`${label}: ${where}: ${msg}`);
  const warn = (where, msg) => warnings.push(`${label}: ${where}: ${msg}`);

  if (!isObj(doc)) {
    err('document', 'must be a mapping with apiVersion, kind, metadata, cis');
    return { errors, warnings, graph: null };
  }
  for (const f of Object.keys(doc)) {
    if (!TOP_FIELDS.includes(f)) err('document', `unknown top-level field ${show(f)} (allowed: ${TOP_FIELDS.join(', ')})`);
  }
  if (doc.apiVersion !== 'svcmap/v1') err('apiVersion', `must be "svcmap/v1", got ${show(doc.apiVersion)}`);
  if (doc.kind !== 'Topology') err('kind', `must be "Topology", got ${show(doc.kind)}`);
  if (!isObj(doc.metadata)) {
    err('metadata', 'missing or not a mapping');
  } else {
    for (const f of Object.keys(doc.metadata)) {
      if (!METADATA_FIELDS.includes(f)) err('metadata', `unknown field ${show(f)} (allowed: ${METADATA_FIELDS.join(', ')})`);
    }
    if (!isNonEmptyString(doc.metadata.name) || !NAME_RE.test(doc.metadata.name)) {
      err('metadata.name', `must be lower-case letters, digits and dashes, got ${show(doc.metadata.name)}`);
    }
    if (doc.metadata.description !== undefined && !isNonEmptyString(doc.metadata.description)) {
      err('metadata.description', 'must be a non-empty string');
    }
    if (doc.metadata.currency !== undefined && !/^[A-Z]{3}$/.test(String(doc.metadata.currency))) {
      err('metadata.currency', `must be a three-letter ISO 4217 code, got ${show(doc.metadata.currency)}`);
    }
  }
  if (!Array.isArray(doc.cis) || doc.cis.length === 0) {
    err('cis', 'must be a non-empty list');
    return { errors, warnings, graph: null };
  }

  // Pass 1: the CIs themselves.
  const cis = new Map();
  doc.cis.forEach((ci, i) => {
    const where0 = `cis[${i}]`;
    if (!isObj(ci)) { err(where0, 'must be a mapping'); return; }
    const key = ci.key;
    const where = typeof key === 'string' ? `${where0} (${safeKey(key)})` : where0;

    for (const f of Object.keys(ci)) {
      if (!CI_FIELDS.includes(f)) err(where, `unknown field ${show(f)} (allowed: ${CI_FIELDS.join(', ')})`);
    }

    // key
    let keyOk = true;
    if (typeof key !== 'string') {
      err(where, `key must be a string, got ${show(key)}`); keyOk = false;
    } else if (CONTROL_RE.test(key)) {
      err(where, 'key contains control characters'); keyOk = false;
    } else if (!KEY_RE.test(key)) {
      err(where, 'key must be 1-256 characters with no whitespace'); keyOk = false;
    } else if (cis.has(key)) {
      err(where, `duplicate key (first defined at cis[${cis.get(key).index}])`); keyOk = false;
    }

    // kind
    const kindOk = KINDS.includes(ci.kind);
    if (!kindOk) err(where, `kind ${show(ci.kind)} is not one of: ${KINDS.join(', ')}`);

    // prefix convention
    if (keyOk && kindOk) {
      const colon = key.indexOf(':');
      const prefix = colon > 0 ? key.slice(0, colon) : null;
      const allowed = prefix && PREFIX_KINDS[prefix];
      if (!prefix) {
        err(where, `key has no layer prefix; seed keys start with one of ${Object.keys(PREFIX_KINDS).map((p) => p + ':').join(' ')}`);
      } else if (!allowed) {
        err(where, `key prefix ${show(prefix)} is not a known layer prefix (${Object.keys(PREFIX_KINDS).join(', ')})`);
      } else if (!allowed.includes(ci.kind)) {
        err(where, `key prefix "${prefix}:" is for ${allowed.join('/')}, but kind is ${ci.kind}`);
      }
    }

    // plain fields
    if (!isNonEmptyString(ci.name)) err(where, 'name is required (non-empty string)');
    if (ci.description !== undefined && !isNonEmptyString(ci.description)) err(where, 'description must be a non-empty string');
    if (!isNonEmptyString(ci.owner) || /\s/.test(ci.owner)) err(where, `owner is required, a team name without spaces, got ${show(ci.owner)}`);
    if (!ENVIRONMENTS.includes(ci.environment)) err(where, `environment must be one of ${ENVIRONMENTS.join('|')}, got ${show(ci.environment)}`);

    if (ci.tags !== undefined) {
      if (!Array.isArray(ci.tags)) {
        err(where, 'tags must be a list');
      } else {
        const seen = new Set();
        for (const t of ci.tags) {
          if (typeof t !== 'string' || !TAG_RE.test(t)) err(where, `tag ${show(t)} must be lower-case letters, digits and dashes`);
          else if (seen.has(t)) err(where, `tag ${show(t)} listed twice`);
          seen.add(t);
        }
      }
    }

    if (ci.attributes !== undefined) {
      if (!isObj(ci.attributes)) {
        err(where, 'attributes must be a mapping');
      } else {
        for (const [k, v] of Object.entries(ci.attributes)) {
          const okType = typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
          if (!okType) {
            const hint = v instanceof Date ? ' (dates must be quoted)' : '';
            err(where, `attribute ${show(k)} must be a string, number or boolean, got ${show(v)}${hint}`);
          }
          if (!k.trim()) err(where, 'attribute names must not be empty');
        }
      }
    }

    // business-only fields
    const isBusiness = BUSINESS_KINDS.has(ci.kind);
    for (const f of ['criticality', 'revenuePerHour', 'usersAffected']) {
      if (ci[f] !== undefined && !isBusiness) err(where, `${f} is only allowed on business_function and business_service (kind is ${ci.kind})`);
    }
    if (ci.criticality !== undefined && !CRITICALITIES.includes(ci.criticality)) {
      err(where, `criticality must be one of ${CRITICALITIES.join('|')}, got ${show(ci.criticality)}`);
    }
    if (ci.kind === 'business_function' && ci.criticality === undefined) err(where, 'business functions need a criticality');
    if (ci.revenuePerHour !== undefined && !(typeof ci.revenuePerHour === 'number' && Number.isFinite(ci.revenuePerHour) && ci.revenuePerHour >= 0)) {
      err(where, `revenuePerHour must be a number >= 0, got ${show(ci.revenuePerHour)}`);
    }
    if (ci.usersAffected !== undefined && !(Number.isInteger(ci.usersAffected) && ci.usersAffected >= 0)) {
      err(where, `usersAffected must be an integer >= 0, got ${show(ci.usersAffected)}`);
    }

    // minHealthy: presence here, range after dependencies are read
    if (ci.minHealthy !== undefined && ci.kind !== 'redundancy_group') {
      err(where, `minHealthy is only allowed on redundancy_group (kind is ${ci.kind})`);
    }
    if (ci.kind === 'redundancy_group' && ci.minHealthy === undefined) err(where, 'redundancy groups need minHealthy');

    if (keyOk) cis.set(key, { ci, index: i, where });
  });

  // Pass 2: dependencies.
  const deps = new Map();
  const rdeps = new Map();
  for (const key of cis.keys()) { deps.set(key, []); rdeps.set(key, []); }

  for (const [key, { ci, where }] of cis) {
    if (ci.dependsOn === undefined) continue;
    if (!Array.isArray(ci.dependsOn)) { err(where, 'dependsOn must be a list'); continue; }
    const targets = new Set();
    ci.dependsOn.forEach((d, j) => {
      const dw = `${where}.dependsOn[${j}]`;
      let dep;
      if (typeof d === 'string') {
        dep = { key: d, type: 'uses', strength: 'hard', explicitStrength: false };
      } else if (isObj(d)) {
        for (const f of Object.keys(d)) {
          if (!DEP_FIELDS.includes(f)) err(dw, `unknown field ${show(f)} (allowed: ${DEP_FIELDS.join(', ')})`);
        }
        dep = {
          key: d.key,
          type: d.type === undefined ? 'uses' : d.type,
          strength: d.strength === undefined ? 'hard' : d.strength,
          explicitStrength: d.strength !== undefined,
        };
      } else {
        err(dw, `must be a key or a mapping {key, type, strength}, got ${show(d)}`);
        return;
      }
      if (typeof dep.key !== 'string') { err(dw, `key must be a string, got ${show(dep.key)}`); return; }
      let ok = true;
      if (!cis.has(dep.key)) { err(dw, `refers to ${show(dep.key)}, which is not defined in this file`); ok = false; }
      if (dep.key === key) { err(dw, 'a CI must not depend on itself'); ok = false; }
      if (targets.has(dep.key)) { err(dw, `${dep.key} is listed twice`); ok = false; }
      targets.add(dep.key);
      if (!DEP_TYPES.includes(dep.type)) { err(dw, `type ${show(dep.type)} is not one of: ${DEP_TYPES.join(', ')}`); ok = false; }
      if (!STRENGTHS.includes(dep.strength)) { err(dw, `strength must be hard or soft, got ${show(dep.strength)}`); ok = false; }
      if (dep.type === 'has_member') {
        if (ci.kind !== 'redundancy_group') { err(dw, `has_member is only for redundancy groups (kind is ${ci.kind})`); ok = false; }
        if (dep.explicitStrength) { err(dw, 'has_member takes no strength: the group\'s minHealthy decides'); ok = false; }
      } else if (ci.kind === 'redundancy_group') {
        err(dw, `a redundancy group depends only on its members (type has_member), got ${show(dep.type)}`); ok = false;
      }
      if (ok) {
        deps.get(key).push({ key: dep.key, type: dep.type, strength: dep.strength });
        rdeps.get(dep.key).push({ from: key, type: dep.type, strength: dep.strength });
      }
    });
  }

  // Pass 3: groups.
  for (const [key, { ci, where }] of cis) {
    if (ci.kind !== 'redundancy_group') continue;
    const members = deps.get(key).filter((d) => d.type === 'has_member');
    if (members.length === 0) { err(where, 'a redundancy group needs at least one member (has_member)'); continue; }
    if (ci.minHealthy !== undefined) {
      if (!Number.isInteger(ci.minHealthy) || ci.minHealthy < 1 || ci.minHealthy > members.length) {
        err(where, `minHealthy must be an integer from 1 to its ${members.length} member(s), got ${show(ci.minHealthy)}`);
      }
    }
    if (members.length === 1) warn(where, 'redundancy group with a single member gives no redundancy');
  }
  // Consumers should use the group, not reach around it to a member.
  for (const [key, list] of deps) {
    const groupMembers = new Set();
    for (const d of list) {
      if (cis.get(d.key).ci.kind === 'redundancy_group') {
        for (const m of deps.get(d.key)) if (m.type === 'has_member') groupMembers.add(m.key);
      }
    }
    for (const d of list) {
      if (d.type !== 'has_member' && groupMembers.has(d.key)) {
        warn(cis.get(key).where, `depends on ${d.key} and also on a group containing it; depend on the group only`);
      }
    }
  }

  // Pass 4: layering.
  for (const [key, list] of deps) {
    const from = cis.get(key);
    for (const d of list) {
      const to = cis.get(d.key).ci;
      if (to.kind === 'business_function') {
        err(from.where, `depends on business function ${d.key}: business functions sit at the top, nothing depends on them`);
      }
      if (from.ci.kind === 'business_function' && !['business_service', 'application'].includes(to.kind)) {
        err(from.where, `business functions depend on business services or applications, not on ${to.kind} ${d.key}`);
      }
    }
  }
  const fromBusiness = reachable(deps, [...cis.keys()].filter((k) => cis.get(k).ci.kind === 'business_function'));
  for (const [key, { ci, where }] of cis) {
    if (ci.kind === 'business_function') {
      const below = reachable(deps, [key]);
      const infra = [...below].some((k) => k !== key && INFRA_KINDS.has(cis.get(k).ci.kind));
      if (!infra) err(where, 'business function never reaches infrastructure (host, vm, cluster, network, SaaS, external, ...)');
    } else if ((ci.environment === 'production' || ci.environment === 'shared') && !fromBusiness.has(key)) {
      warn(where, `${ci.environment} CI is not under any business function`);
    }
  }

  return { errors, warnings, graph: { cis, deps, rdeps } };
}

// ---------------------------------------------------------------------------
// Graph algorithms
// ---------------------------------------------------------------------------

function reachable(deps, starts, hardOnly = false) {
  const seen = new Set(starts);
  const stack = [...starts];
  while (stack.length) {
    const k = stack.pop();
    for (const d of deps.get(k) || []) {
      if (hardOnly && d.strength !== 'hard') continue;
      if (!seen.has(d.key)) { seen.add(d.key); stack.push(d.key); }
    }
  }
  return seen;
}

/** Shortest dependency path from -> to (BFS), or null. */
function shortestPath(deps, from, to, hardOnly) {
  const prev = new Map([[from, null]]);
  const queue = [from];
  while (queue.length) {
    const k = queue.shift();
    if (k === to) break;
    for (const d of deps.get(k) || []) {
      if (hardOnly && d.strength !== 'hard') continue;
      if (!prev.has(d.key)) { prev.set(d.key, { key: k, dep: d }); queue.push(d.key); }
    }
  }
  if (!prev.has(to)) return null;
  const chain = [];
  for (let k = to; k !== from; k = prev.get(k).key) chain.unshift({ key: k, dep: prev.get(k).dep });
  return chain;
}

/** Strongly connected components with more than one node (Tarjan, iterative). */
function cycles(deps) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const out = [];
  for (const root of deps.keys()) {
    if (idx.has(root)) continue;
    const work = [{ node: root, i: 0 }];
    idx.set(root, index); low.set(root, index); index++;
    stack.push(root); onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const edges = deps.get(top.node);
      if (top.i < edges.length) {
        const next = edges[top.i++].key;
        if (!idx.has(next)) {
          idx.set(next, index); low.set(next, index); index++;
          stack.push(next); onStack.add(next);
          work.push({ node: next, i: 0 });
        } else if (onStack.has(next)) {
          low.set(top.node, Math.min(low.get(top.node), idx.get(next)));
        }
      } else {
        work.pop();
        if (work.length) {
          const parent = work[work.length - 1].node;
          low.set(parent, Math.min(low.get(parent), low.get(top.node)));
        }
        if (low.get(top.node) === idx.get(top.node)) {
          const comp = [];
          let k;
          do { k = stack.pop(); onStack.delete(k); comp.push(k); } while (k !== top.node);
          if (comp.length > 1) out.push(comp.reverse());
        }
      }
    }
  }
  return out;
}

/** One concrete cycle through the first node of a component. */
function cycleThrough(deps, comp) {
  const inComp = new Set(comp);
  const restricted = new Map();
  for (const k of comp) restricted.set(k, deps.get(k).filter((d) => inComp.has(d.key)));
  const start = comp[0];
  let best = null;
  for (const d of restricted.get(start)) {
    const back = d.key === start ? [] : shortestPath(restricted, d.key, start, false);
    if (back && (!best || back.length + 1 < best.length)) best = [{ key: d.key, dep: d }, ...back];
  }
  return { start, chain: best };
}

/**
 * Blast radius: the least fixed point of the product's impact rules.
 * Returns Map key -> { state: 'DOWN'|'DEGRADED', reason, via }.
 */
function impact(graph, failed) {
  const { cis, deps } = graph;
  const RANK = { HEALTHY: 0, DEGRADED: 1, DOWN: 2 };
  const state = new Map();
  const reason = new Map();
  for (const k of cis.keys()) state.set(k, 'HEALTHY');
  for (const k of failed) { state.set(k, 'DOWN'); reason.set(k, 'failed'); }
  let changed = true;
  while (changed) {
    changed = false;
    for (const [key, { ci }] of cis) {
      if (failed.includes(key)) continue;
      let next = 'HEALTHY';
      let why = null;
      if (ci.kind === 'redundancy_group') {
        const members = deps.get(key).filter((d) => d.type === 'has_member');
        const down = members.filter((m) => state.get(m.key) === 'DOWN').length;
        const hurt = members.filter((m) => state.get(m.key) !== 'HEALTHY').length;
        const up = members.length - down;
        if (up < ci.minHealthy) { next = 'DOWN'; why = `${down} of ${members.length} members down, needs ${ci.minHealthy} up`; }
        else if (hurt > 0) { next = 'DEGRADED'; why = `${down} of ${members.length} members down, ${hurt - down} degraded, needs ${ci.minHealthy} up`; }
      } else {
        for (const d of deps.get(key)) {
          const s = state.get(d.key);
          let cand = 'HEALTHY';
          if (s === 'DOWN') cand = d.strength === 'hard' ? 'DOWN' : 'DEGRADED';
          else if (s === 'DEGRADED') cand = 'DEGRADED';
          if (RANK[cand] > RANK[next]) { next = cand; why = `${d.strength} ${d.type} ${d.key} (${s})`; }
        }
      }
      if (RANK[next] > RANK[state.get(key)]) { state.set(key, next); reason.set(key, why); changed = true; }
    }
  }
  const result = new Map();
  for (const [k, s] of state) if (s !== 'HEALTHY') result.set(k, { state: s, reason: reason.get(k) });
  return result;
}

// ---------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------

function formatChain(from, chain) {
  return [from, ...chain.map((c) => `-[${c.dep.type}${c.dep.strength === 'soft' ? ',soft' : ''}]-> ${c.key}`)].join(' ');
}

function printTrace(graph, key, soft, maxDepth) {
  const { cis, deps } = graph;
  const seen = new Set();
  const lines = [];
  const walk = (k, depth, prefix, label) => {
    const ci = cis.get(k).ci;
    const extra = ci.kind === 'redundancy_group' ? ` needs ${ci.minHealthy} of ${deps.get(k).length}` : '';
    const repeat = seen.has(k) && deps.get(k).length > 0;
    lines.push(`${prefix}${label}${k} [${ci.kind}${extra}]${repeat ? ' (see above)' : ''}`);
    if (repeat || depth >= maxDepth) return;
    seen.add(k);
    for (const d of deps.get(k)) {
      if (!soft && d.strength !== 'hard') continue;
      walk(d.key, depth + 1, prefix + '  ', `${d.type}${d.strength === 'soft' ? ' (soft)' : ''}: `);
    }
  };
  walk(key, 0, '', '');
  console.log(lines.join('\n'));
}

function printImpact(graph, failed) {
  const { cis, rdeps } = graph;
  const res = impact(graph, failed);
  // Shortest explaining chain: BFS from the failures against the arrows,
  // only through impacted CIs.
  const prev = new Map(failed.map((k) => [k, null]));
  const queue = [...failed];
  while (queue.length) {
    const k = queue.shift();
    for (const r of rdeps.get(k)) {
      if (res.has(r.from) && !prev.has(r.from)) { prev.set(r.from, k); queue.push(r.from); }
    }
  }
  const chainOf = (k) => { const c = []; for (let x = k; x !== null && x !== undefined; x = prev.get(x)) c.push(x); return c; };
  const bfs = [...res.keys()].filter((k) => cis.get(k).ci.kind === 'business_function');
  const tierRank = (k) => Number(String(cis.get(k).ci.criticality).slice(-1));
  bfs.sort((a, b) => (res.get(a).state === res.get(b).state ? 0 : res.get(a).state === 'DOWN' ? -1 : 1) || tierRank(a) - tierRank(b));
  console.log(`Failing ${failed.join(', ')}: ${res.size} CIs impacted, ${bfs.length} business function(s)`);
  for (const k of bfs) {
    const ci = cis.get(k).ci;
    const chain = chainOf(k);
    console.log(`  ${res.get(k).state.padEnd(8)} ${k} (${ci.criticality}, ${ci.revenuePerHour ?? 0}/h, ${ci.usersAffected ?? 0} users) distance ${chain.length - 1}`);
    console.log(`           chain: ${chain.reverse().join(' <- ')}`);
  }
  const others = [...res.keys()].filter((k) => !bfs.includes(k) && !failed.includes(k));
  const down = others.filter((k) => res.get(k).state === 'DOWN');
  const degraded = others.filter((k) => res.get(k).state === 'DEGRADED');
  console.log(`  other CIs DOWN (${down.length}): ${down.join(', ') || '-'}`);
  console.log(`  other CIs DEGRADED (${degraded.length}): ${degraded.join(', ') || '-'}`);
}

function checkExpectations(name, graph, stats, label) {
  const exp = EXPECTATIONS[name];
  const errors = [];
  if (!exp) return errors;
  const { cis, deps } = graph;
  const e = (msg) => errors.push(`${label}: expectation: ${msg}`);
  if (stats.cis < exp.minCis) e(`at least ${exp.minCis} CIs, found ${stats.cis}`);
  if (stats.businessFunctions.length < exp.minBusinessFunctions) e(`at least ${exp.minBusinessFunctions} business functions, found ${stats.businessFunctions.length}`);
  for (const k of exp.requiredBusinessFunctions) {
    if (!cis.has(k) || cis.get(k).ci.kind !== 'business_function') e(`business function ${k} is missing`);
  }
  if (stats.groups < exp.minGroups) e(`at least ${exp.minGroups} redundancy groups, found ${stats.groups}`);
  if (stats.nestedGroups < exp.minNestedGroups) e(`at least ${exp.minNestedGroups} nested redundancy group(s), found ${stats.nestedGroups}`);
  if (stats.soft < exp.minSoftDeps) e(`at least ${exp.minSoftDeps} soft dependencies, found ${stats.soft}`);
  if (stats.cycles.length < exp.minCycles) e(`at least ${exp.minCycles} dependency cycle(s), found ${stats.cycles.length}`);
  for (const kind of KINDS) {
    if (!exp.everyKindExcept.includes(kind) && !stats.byKind[kind]) e(`no CI of kind ${kind}`);
  }
  for (const [from, to, hardOnly, note] of exp.paths) {
    if (!cis.has(from) || !cis.has(to)) { e(`${note}: ${from} or ${to} is missing`); continue; }
    if (!shortestPath(deps, from, to, hardOnly)) e(`${note}: no ${hardOnly ? 'HARD ' : ''}path ${from} -> ${to}`);
  }
  for (const [key, tiers, note] of exp.onlyUnder) {
    for (const bf of stats.businessFunctions) {
      if (reachable(deps, [bf]).has(key) && !tiers.includes(cis.get(bf).ci.criticality)) {
        e(`${note}: ${key} is under ${bf} (${cis.get(bf).ci.criticality})`);
      }
    }
  }
  for (const [key, min, count] of exp.groups) {
    const g = cis.get(key);
    if (!g) { e(`group ${key} is missing`); continue; }
    const members = deps.get(key).length;
    if (g.ci.minHealthy !== min || members !== count) e(`group ${key} should need ${min} of ${count}, has ${g.ci.minHealthy} of ${members}`);
  }
  return errors;
}

function statsOf(graph) {
  const { cis, deps } = graph;
  const byKind = {};
  const byType = {};
  const byEnv = {};
  let total = 0; let soft = 0; let groups = 0; let nestedGroups = 0; let members = 0;
  const businessFunctions = [];
  for (const [key, { ci }] of cis) {
    byKind[ci.kind] = (byKind[ci.kind] || 0) + 1;
    byEnv[ci.environment] = (byEnv[ci.environment] || 0) + 1;
    if (ci.kind === 'business_function') businessFunctions.push(key);
    if (ci.kind === 'redundancy_group') {
      groups++;
      if (deps.get(key).some((d) => cis.get(d.key).ci.kind === 'redundancy_group')) nestedGroups++;
    }
    for (const d of deps.get(key)) {
      total++;
      byType[d.type] = (byType[d.type] || 0) + 1;
      if (d.type === 'has_member') members++;
      else if (d.strength === 'soft') soft++;
    }
  }
  return {
    cis: cis.size, byKind, byType, byEnv, deps: total, soft, hard: total - soft - members,
    members, groups, nestedGroups, businessFunctions, cycles: cycles(deps),
  };
}

function printStats(stats, graph) {
  const { cis, deps } = graph;
  const sortDesc = (o) => Object.entries(o).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  console.log(`  CIs: ${stats.cis}`);
  console.log(`  CIs by kind: ${sortDesc(stats.byKind).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`  CIs by environment: ${sortDesc(stats.byEnv).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`  dependencies: ${stats.deps} (hard ${stats.hard}, soft ${stats.soft}, group memberships ${stats.members})`);
  console.log(`  dependencies by type: ${sortDesc(stats.byType).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`  redundancy groups: ${stats.groups} (nested: ${stats.nestedGroups})`);
  for (const [key, { ci }] of cis) {
    if (ci.kind !== 'redundancy_group') continue;
    console.log(`    ${key}: needs ${ci.minHealthy ?? '?'} of ${deps.get(key).length} (${deps.get(key).map((d) => d.key).join(', ')})`);
  }
  console.log(`  business functions: ${stats.businessFunctions.length}`);
  for (const k of stats.businessFunctions) {
    const ci = cis.get(k).ci;
    console.log(`    ${k}: ${ci.criticality}, ${ci.revenuePerHour ?? '-'}/h, ${ci.usersAffected ?? '-'} users`);
  }
  console.log(`  cycles found: ${stats.cycles.length}`);
  for (const comp of stats.cycles) {
    const { start, chain } = cycleThrough(deps, comp);
    console.log(`    ${formatChain(start, chain)}`);
  }
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`check-seeds: ${e.message}`);
    return 2;
  }
  if (opts.help) {
    console.log('usage: node seeds/check-seeds.js [file.yaml ...] [--strict] [--trace KEY [--soft] [--depth N]] [--impact KEY[,KEY]]');
    return 0;
  }
  const files = seedFiles(opts);
  if (files.length === 0) { console.error('check-seeds: no seed files found'); return 1; }

  const allErrors = [];
  const allWarnings = [];
  const graphs = [];
  for (const file of files) {
    const label = path.relative(process.cwd(), file) || file;
    let docs;
    try {
      docs = yaml.loadAll(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      allErrors.push(`${label}: YAML error: ${e.message.split('\n')[0]}`);
      continue;
    }
    docs = docs.filter((d) => d !== null && d !== undefined);
    if (docs.length !== 1) { allErrors.push(`${label}: expected exactly one YAML document, found ${docs.length}`); continue; }
    const { errors, warnings, graph } = validate(docs[0], label);
    allErrors.push(...errors);
    allWarnings.push(...warnings);
    if (!graph) continue;
    const stats = statsOf(graph);
    const name = docs[0].metadata && docs[0].metadata.name;
    if (errors.length === 0) allErrors.push(...checkExpectations(name, graph, stats, label));
    graphs.push({ label, graph });
    if (!opts.trace && !opts.impact) {
      console.log(`${label} (${name})`);
      printStats(stats, graph);
    }
  }

  const findGraph = (key) => graphs.find((g) => g.graph.cis.has(key));
  if (opts.trace) {
    const g = findGraph(opts.trace);
    if (!g) { console.error(`check-seeds: no seed file defines ${opts.trace}`); return 1; }
    console.log(`${g.label}: what ${opts.trace} depends on (${opts.soft ? 'hard and soft' : 'hard only'})`);
    printTrace(g.graph, opts.trace, opts.soft, opts.depth);
  }
  if (opts.impact) {
    const g = findGraph(opts.impact[0]);
    const missing = opts.impact.filter((k) => !g || !g.graph.cis.has(k));
    if (missing.length) { console.error(`check-seeds: not defined in one seed file: ${missing.join(', ')}`); return 1; }
    printImpact(g.graph, opts.impact);
  }

  if (allWarnings.length) {
    console.log(`\n${allWarnings.length} warning(s):`);
    for (const w of allWarnings) console.log(`  warning: ${w}`);
  }
  const failures = opts.strict ? [...allErrors, ...allWarnings] : allErrors;
  if (failures.length) {
    console.error(`\n${allErrors.length} error(s)${opts.strict && allWarnings.length ? ` and ${allWarnings.length} warning(s), --strict` : ''}:`);
    for (const e of failures) console.error(`  ${e}`);
    return 1;
  }
  if (!opts.trace && !opts.impact) console.log(`\nOK: ${files.length} seed file(s) valid`);
  return 0;
}

process.exitCode = main();
