import { Api, ApiErrors } from './api';
import { collapseGraph, type ViewGraph } from './collapse';
import { byId, clear, h } from './dom';
import { describe, mapErrors, type ApiError } from './errors';
import { GraphView, type DrawnNode } from './graph-view';
import { allPages, impactStates, withImpact, worstState, type BlastPage, type NodeState } from './impact';
import { layeredPositions } from './layering';
import { canEdit, type BlastAnswer, type Graph, type MapNode } from './model';
import * as ops from './operations';
import { formatRoute, modeFor, parseRoute, type Route } from './route';

const KEY_STORAGE = 'svcmap.apiKey';
const PAGE = 500;
const DEPENDENCY_TYPES = [
  'USES', 'CALLS', 'COMPOSED_OF', 'CONFIGURED_BY', 'CONSUMES_FROM', 'DEPLOYED_IN', 'HAS_MEMBER', 'HOSTED_ON', 'MOUNTS',
  'PUBLISHES_TO', 'READS_FROM', 'RESOLVES_VIA', 'ROUTES_THROUGH', 'RUNS_ON', 'SECURED_BY', 'STORES_DATA_IN', 'AUTHENTICATES_VIA',
];
const CRITICALITY = ['', 'TIER_1', 'TIER_2', 'TIER_3', 'TIER_4'];
const BUSINESS = ['BUSINESS_FUNCTION', 'BUSINESS_SERVICE'];

interface MapAnswer {
  map: { truncated: boolean; root: { key: string; name: string; kind: string }; nodes: MapNode[]; edges: Graph['edges'] };
}

interface CIDetail {
  key: string; name: string; kind: string; owner: string | null; environment: string | null; description: string | null;
  tags: string[]; attributes: Record<string, unknown>; status: string; version: number; criticality: string | null;
  revenuePerHour: number | null; usersAffected: number | null; minHealthy: number | null; updatedAt: string;
  dependencies: { type: string; strength: string; provider: { key: string; name: string; kind: string } }[];
  dependentCount: number;
  dependents: { type: string; strength: string; consumer: { key: string; name: string; kind: string } }[];
  history: { totalCount: number; edges: { node: { id: string; at: string; actor: string; source: string; operation: string; entity: string; key: string; to: string | null; fields: { field: string; from: unknown; to: unknown }[] } }[] };
}

interface Incident {
  id: string; rank: number; priority: string; score: number; startedAt: string; impactedCount: number;
  alerts: { id: string; key: string; severity: string; summary: string | null }[];
  probableCause: { key: string; kind: string; score: number; explainedCount: number; unexplainedCount: number; evidence: { alerting: boolean; startedFirst: boolean; exampleChain: string[]; dependenciesAlerting: string[] } };
  candidates: { key: string; kind: string; rank: number; score: number }[];
  businessImpacts: { ci: { key: string; name: string }; state: string; priority: string; reason: string }[];
}

/** The whole page: login, search, map, impact, incidents, details and edits. */
export class App {
  private api: Api | null = null;
  private role = '';
  private view!: GraphView;
  private route: Route | null = null;
  private base: Graph | null = null;
  private impact: BlastAnswer | null = null;
  private drawn: ViewGraph | null = null;
  private alerting = new Set<string>();
  private collapsedKinds = new Set<string>();
  private foldGroups = false;
  private detailKey: string | null = null;

  async start(): Promise<void> {
    this.view = new GraphView(byId('graph'));
    this.view.onSelectionChange((selected) => this.selectionChanged(selected));
    byId<HTMLFormElement>('login-form').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.login(byId<HTMLInputElement>('api-key').value.trim());
    });
    byId('logout').addEventListener('click', () => this.logout());
    byId<HTMLFormElement>('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.search();
    });
    byId('zoom-in').addEventListener('click', () => this.view.zoomBy(1.4));
    byId('zoom-out').addEventListener('click', () => this.view.zoomBy(1 / 1.4));
    byId('zoom-fit').addEventListener('click', () => this.view.fit());
    byId<HTMLInputElement>('fold-groups').addEventListener('change', (e) => {
      this.foldGroups = (e.target as HTMLInputElement).checked;
      this.redraw();
    });
    byId('simulate').addEventListener('click', () => void this.simulate());
    byId('clear-simulation').addEventListener('click', () => this.clearSimulation());
    byId('load-incidents').addEventListener('click', () => void this.loadIncidents());
    window.addEventListener('hashchange', () => void this.followRoute());
    // A read-only hook for tests and debugging: what is drawn, and where.
    (window as unknown as { svcmap: unknown }).svcmap = {
      nodes: () => this.view.nodes(),
      edges: () => this.view.edges(),
      pagePoint: (id: string) => this.view.pagePoint(id),
      focus: (id: string) => this.view.focus(id),
      ready: () => !byId('app').hidden && !document.body.classList.contains('busy'),
    };
    const saved = sessionStorage.getItem(KEY_STORAGE);
    if (saved) await this.login(saved);
    else this.showLogin();
  }

  // ---- session -----------------------------------------------------------

  private showLogin(message = ''): void {
    byId('login').hidden = false;
    byId('app').hidden = true;
    byId('login-error').textContent = message;
  }

  private async login(key: string): Promise<void> {
    if (!key) return this.showLogin('Enter an API key.');
    const api = new Api(key);
    try {
      const { me } = await this.busy(api.request<{ me: { name: string; role: string } }>(ops.ME));
      this.api = api;
      this.role = me.role;
      sessionStorage.setItem(KEY_STORAGE, key);
      byId('who').textContent = `${me.name} (${me.role.toLowerCase()})`;
      document.body.classList.toggle('can-edit', canEdit(me.role));
      byId('login').hidden = true;
      byId('app').hidden = false;
      byId<HTMLInputElement>('api-key').value = '';
      await this.followRoute();
    } catch (error) {
      sessionStorage.removeItem(KEY_STORAGE);
      this.showLogin(error instanceof ApiErrors ? describe(error.errors[0]) : String(error));
    }
  }

  private logout(): void {
    sessionStorage.removeItem(KEY_STORAGE);
    this.api = null;
    location.hash = '';
    this.showLogin();
  }

  private get editable(): boolean {
    return canEdit(this.role);
  }

  /** Runs a request with the page marked busy (tests and people both wait for it). */
  private async busy<T>(work: Promise<T>): Promise<T> {
    document.body.classList.add('busy');
    try {
      return await work;
    } finally {
      document.body.classList.remove('busy');
    }
  }

  private status(text: string, error = false): void {
    const element = byId('status');
    element.textContent = text;
    element.classList.toggle('error', error);
  }

  private async request<T>(operation: string, variables?: Record<string, unknown>): Promise<T> {
    if (!this.api) throw new Error('not logged in');
    try {
      return await this.busy(this.api.request<T>(operation, variables));
    } catch (error) {
      if (error instanceof ApiErrors && error.code === 'UNAUTHENTICATED') this.logout();
      throw error;
    }
  }

  // ---- search --------------------------------------------------------------

  private async search(): Promise<void> {
    const text = byId<HTMLInputElement>('search').value.trim();
    const kind = byId<HTMLSelectElement>('search-kind').value;
    const filter: Record<string, unknown> = {};
    if (text) filter.search = text;
    if (kind) filter.kinds = [kind];
    const list = byId('results');
    try {
      const { cis } = await this.request<{ cis: { totalCount: number; edges: { node: MapNode }[] } }>(ops.SEARCH, { filter, first: 50 });
      clear(
        list,
        cis.edges.map(({ node }) =>
          h('li', {},
            h('button', { type: 'button', class: 'link', 'data-key': node.key, onclick: () => this.open({ mode: modeFor(node.kind), key: node.key }) }, node.name),
            h('small', {}, ` ${node.kind} · ${node.key}${node.owner ? ` · ${node.owner}` : ''}`),
          ),
        ),
        h('li', { class: 'muted' }, `${cis.totalCount} found${cis.totalCount > cis.edges.length ? `, first ${cis.edges.length} shown` : ''}`),
      );
    } catch (error) {
      clear(list, h('li', { class: 'error' }, this.message(error)));
    }
  }

  // ---- maps ------------------------------------------------------------------

  private open(route: Route): void {
    const hash = formatRoute(route);
    if (location.hash === hash) void this.followRoute();
    else location.hash = hash;
  }

  private async followRoute(): Promise<void> {
    if (!this.api) return;
    const route = parseRoute(location.hash);
    if (!route) return;
    this.route = route;
    await this.loadMap(route);
  }

  private async loadMap(route: Route, alerting: string[] = []): Promise<void> {
    this.status(`Loading ${route.key}...`);
    try {
      let graph: Graph;
      let title: string;
      if (route.mode === 'around') {
        graph = await this.around(route.key);
        title = `Around ${route.key}`;
      } else {
        const answer = await this.request<MapAnswer>(route.mode === 'service' ? ops.SERVICE_MAP : ops.UPSTREAM, { key: route.key });
        graph = { nodes: answer.map.nodes, edges: answer.map.edges };
        title = `${answer.map.root.name} (${answer.map.root.kind.toLowerCase().replace(/_/g, ' ')})${answer.map.truncated ? ' - truncated' : ''}`;
      }
      this.base = graph;
      this.impact = null;
      this.alerting = new Set(alerting);
      byId('map-title').textContent = title;
      this.renderKindToggles();
      this.redraw();
      this.renderImpact();
      this.status(`${graph.nodes.length} CIs, ${graph.edges.length} dependencies`);
      if (this.detailKey && !graph.nodes.some((n) => n.key === this.detailKey)) this.detailKey = null;
      if (route.mode === 'around') this.view.select([route.key]);
      if (this.detailKey) await this.showDetail(this.detailKey);
    } catch (error) {
      this.status(this.message(error), true);
    }
  }

  /** The neighbourhood of a probable cause: what it needs (two hops) and what needs it directly. */
  private async around(key: string): Promise<Graph> {
    const [up, down] = await Promise.all([
      this.request<MapAnswer>(ops.UPSTREAM, { key, maxDepth: 2 }),
      this.request<{ ci: { dependents: { type: string; strength: 'HARD' | 'SOFT'; consumer: MapNode }[] } | null }>(ops.DEPENDENTS, { key }),
    ]);
    const nodes = [...up.map.nodes];
    const edges = [...up.map.edges];
    const seen = new Set(nodes.map((n) => n.key));
    for (const d of down.ci?.dependents ?? []) {
      if (!seen.has(d.consumer.key)) nodes.push(d.consumer);
      seen.add(d.consumer.key);
      edges.push({ from: d.consumer.key, to: key, type: d.type, strength: d.strength });
    }
    return { nodes, edges };
  }

  private graph(): Graph | null {
    if (!this.base) return null;
    return this.impact ? withImpact(this.base, this.impact) : this.base;
  }

  private states(view: ViewGraph): Map<string, NodeState | undefined> {
    const states = new Map<string, NodeState | undefined>();
    if (!this.impact) return states;
    const byCI = impactStates(this.impact);
    for (const n of view.nodes) states.set(n.key, worstState(n.members, byCI));
    return states;
  }

  private redraw(): void {
    const graph = this.graph();
    if (!graph) return;
    const view = collapseGraph(graph, { kinds: this.collapsedKinds, groups: this.foldGroups });
    this.drawn = view;
    const positions = layeredPositions({ nodes: view.nodes, edges: view.edges });
    this.view.render(view, positions, this.states(view));
    this.view.markAlerting(new Set([...this.alerting].map((k) => view.owner.get(k)).filter((k): k is string => !!k)));
    this.selectionChanged([]);
  }

  private renderKindToggles(): void {
    const kinds = [...new Set((this.base?.nodes ?? []).map((n) => n.kind))].sort();
    this.collapsedKinds = new Set([...this.collapsedKinds].filter((k) => kinds.includes(k)));
    clear(
      byId('kind-toggles'),
      kinds.map((kind) =>
        h('label', {},
          h('input', { type: 'checkbox', value: kind, checked: this.collapsedKinds.has(kind), onchange: (e: Event) => {
            const box = e.target as HTMLInputElement;
            if (box.checked) this.collapsedKinds.add(kind);
            else this.collapsedKinds.delete(kind);
            this.redraw();
          } }),
          ` ${kind.toLowerCase().replace(/_/g, ' ')}`,
        ),
      ),
    );
  }

  // ---- selection and failure simulation ------------------------------------

  private selectionChanged(selected: DrawnNode[]): void {
    const keys = selected.flatMap((n) => n.members);
    const simulate = byId<HTMLButtonElement>('simulate');
    simulate.disabled = keys.length === 0;
    simulate.textContent = keys.length > 1 ? `Simulate failure of ${keys.length}` : 'Simulate failure';
    if (selected.length === 1 && !selected[0].collapsed) void this.showDetail(selected[0].id);
  }

  private selectedKeys(): string[] {
    return [...new Set(this.view.selected().flatMap((n) => n.members))];
  }

  private async simulate(): Promise<void> {
    const keys = this.selectedKeys();
    if (!keys.length) return;
    this.status(`Simulating failure of ${keys.join(', ')}...`);
    try {
      this.impact = await this.blastRadius(keys);
      this.redraw();
      this.view.select(keys.map((k) => this.drawn?.owner.get(k) ?? k));
      this.renderImpact();
      const t = this.impact.totals;
      this.status(`Failure of ${keys.length} CI(s): ${t.impacted} impacted (${t.down} down, ${t.degraded} degraded), priority ${this.impact.priority}`);
    } catch (error) {
      this.status(this.message(error), true);
    }
  }

  /** The whole blast radius, every page of it (allPages). */
  private async blastRadius(keys: string[]): Promise<BlastAnswer> {
    return allPages(
      async (page) => (await this.request<{ blastRadius: BlastPage }>(ops.BLAST, { keys, ...page })).blastRadius,
      PAGE,
      (error) => error instanceof ApiErrors && error.errors.some((e) => e.extensions?.field === 'first'),
    );
  }

  private clearSimulation(): void {
    this.impact = null;
    this.redraw();
    this.renderImpact();
  }

  private renderImpact(): void {
    const panel = byId('impact');
    byId<HTMLButtonElement>('clear-simulation').disabled = !this.impact;
    const impact = this.impact;
    if (!impact) return clear(panel);
    const chainButton = (chain: string[]) => h('button', { type: 'button', class: 'link chain-button', onclick: () => this.followChain(chain) }, 'follow chain');
    clear(
      panel,
      h('h2', {}, 'Simulated failure'),
      h('p', {},
        h('span', { class: `priority ${impact.priority}` }, impact.priority), ` score ${impact.score.toFixed(1)} · `,
        `${impact.totals.impacted} impacted: ${impact.totals.down} down, ${impact.totals.degraded} degraded`,
        impact.depthLimited ? ' (depth limit reached: it may reach further)' : ''),
      h('p', { class: 'muted' }, `Failed: ${impact.failedKeys.join(', ')}`),
      h('h3', {}, `Business impact (${impact.businessImpacts.length})`),
      h('ul', { id: 'business-impacts', class: 'items' },
        impact.businessImpacts.map((b) =>
          h('li', { 'data-key': b.ci.key, 'data-state': b.state },
            h('span', { class: `priority ${b.priority}` }, b.priority), ' ',
            h('span', { class: `state ${b.state}` }, b.state), ' ',
            h('strong', {}, b.ci.name), ` score ${b.score.toFixed(1)}`,
            h('div', { class: 'reason' }, b.reason, ` (${b.distance} hops) `, chainButton(b.chain)),
          ),
        ),
      ),
      h('div', { id: 'chain' }),
      h('details', {},
        h('summary', {}, `Every impacted CI (${impact.impacted.length})`),
        h('ul', { id: 'impacted-list', class: 'items' },
          impact.impacted.map((n) =>
            h('li', { 'data-key': n.key, 'data-state': n.state },
              h('span', { class: `state ${n.state}` }, n.state), ' ', n.ci?.name ?? n.key, h('small', {}, ` ${n.kind}`),
              h('div', { class: 'reason' }, n.reason, ' ', chainButton(n.chain)),
            ),
          ),
        ),
      ),
    );
  }

  /** Shows why a CI is impacted: the chain down to the failure, on the map and in words. */
  private followChain(chain: string[]): void {
    const owner = this.drawn?.owner;
    const drawn = chain.map((k) => owner?.get(k) ?? k).filter((k, i, all) => i === 0 || all[i - 1] !== k);
    this.view.highlightChain(drawn);
    const reasons = new Map(this.impact?.impacted.map((n) => [n.key, n]) ?? []);
    clear(
      byId('chain'),
      h('h3', {}, 'Chain'),
      h('ol', { class: 'chain-list' },
        chain.map((key) =>
          h('li', { 'data-key': key },
            h('button', { type: 'button', class: 'link', onclick: () => this.view.focus(owner?.get(key) ?? key) }, key),
            reasons.get(key) ? h('small', {}, ` ${reasons.get(key)!.state}: ${reasons.get(key)!.reason}`) : null,
          ),
        ),
      ),
    );
  }

  // ---- incidents -------------------------------------------------------------

  private async loadIncidents(): Promise<void> {
    const panel = byId('incidents');
    try {
      const { activeIncidents } = await this.request<{ activeIncidents: Incident[] }>(ops.INCIDENTS);
      if (!activeIncidents.length) return clear(panel, h('p', { class: 'muted' }, 'No active incidents.'));
      clear(
        panel,
        h('ul', { class: 'items' },
          activeIncidents.map((incident) => {
            const cause = incident.probableCause;
            return h('li', { class: 'incident', 'data-incident': incident.id, 'data-cause': cause.key },
              h('span', { class: `priority ${incident.priority}` }, incident.priority),
              ` #${incident.rank} · ${incident.alerts.length} alert(s) since ${new Date(incident.startedAt).toLocaleTimeString()}`,
              h('div', {}, 'Probable cause: ', h('strong', {}, cause.key), ` (${cause.kind.toLowerCase()}, score ${cause.score.toFixed(2)}, explains ${cause.explainedCount})`,
                cause.evidence.alerting ? '' : ' - not alerting itself'),
              incident.candidates.length > 1
                ? h('div', { class: 'muted' }, 'Other candidates: ', incident.candidates.filter((c) => c.key !== cause.key).map((c) => `${c.key} (${c.score.toFixed(2)})`).join(', '))
                : null,
              incident.businessImpacts.length
                ? h('div', {}, 'Hurts: ', incident.businessImpacts.map((b) => `${b.ci.name} ${b.state} ${b.priority}`).join(', '))
                : null,
              h('button', { type: 'button', class: 'jump', onclick: () => void this.jumpToCause(incident) }, 'Map around cause'),
            );
          }),
        ),
      );
    } catch (error) {
      clear(panel, h('p', { class: 'error' }, this.message(error)));
    }
  }

  private async jumpToCause(incident: Incident): Promise<void> {
    const route: Route = { mode: 'around', key: incident.probableCause.key };
    this.route = route;
    history.pushState(null, '', formatRoute(route));
    await this.loadMap(route, incident.alerts.map((a) => a.key));
  }

  // ---- details, edits and history ------------------------------------------

  private async showDetail(key: string): Promise<void> {
    this.detailKey = key;
    const panel = byId('detail');
    try {
      const { ci } = await this.request<{ ci: CIDetail | null }>(ops.CI_DETAIL, { key });
      if (this.detailKey !== key) return;
      if (!ci) return clear(panel, h('p', { class: 'muted' }, `${key} no longer exists.`));
      clear(panel, this.detailView(ci));
    } catch (error) {
      clear(panel, h('p', { class: 'error' }, this.message(error)));
    }
  }

  private detailView(ci: CIDetail): HTMLElement {
    const facts: [string, unknown][] = [
      ['Key', ci.key], ['Kind', ci.kind], ['Owner', ci.owner], ['Environment', ci.environment], ['Status', ci.status],
      ['Criticality', ci.criticality], ['Revenue per hour', ci.revenuePerHour], ['Users affected', ci.usersAffected],
      ['Min healthy', ci.minHealthy], ['Tags', ci.tags.join(', ')], ['Version', ci.version],
    ];
    const edit = this.editable;
    return h('div', { 'data-ci': ci.key },
      h('h2', {}, ci.name),
      ci.description ? h('p', {}, ci.description) : null,
      h('dl', { class: 'facts' }, facts.filter(([, v]) => v !== null && v !== '' && v !== undefined).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])),
      Object.keys(ci.attributes).length ? h('pre', { class: 'attributes' }, JSON.stringify(ci.attributes, null, 2)) : null,
      h('button', { type: 'button', onclick: () => { this.view.select([this.drawn?.owner.get(ci.key) ?? ci.key]); void this.simulate(); } }, 'Simulate failure of this CI'),
      edit ? this.ciForm(ci) : null,
      h('h3', {}, `Depends on (${ci.dependencies.length})`),
      h('ul', { class: 'items', id: 'dependencies' },
        ci.dependencies.map((d) =>
          h('li', { 'data-to': d.provider.key },
            `${d.type.toLowerCase()} · ${d.strength} → `, h('strong', {}, d.provider.name), h('small', {}, ` ${d.provider.key}`),
            edit ? h('button', { type: 'button', class: 'remove-dependency', 'data-edit': true, onclick: () => void this.removeDependency(ci.key, d.provider.key) }, 'remove') : null,
          ),
        ),
      ),
      edit ? this.dependencyForm(ci) : null,
      h('h3', {}, `Needed by (${ci.dependentCount})`),
      ci.dependentCount > ci.dependents.length ? h('p', { class: 'muted' }, `The first ${ci.dependents.length} by key.`) : null,
      h('ul', { class: 'items' },
        ci.dependents.map((d) => h('li', {}, h('strong', {}, d.consumer.name), h('small', {}, ` ${d.consumer.key}`), ` ${d.type.toLowerCase()} · ${d.strength}`)),
      ),
      h('h3', {}, `History (${ci.history.totalCount})`),
      h('ul', { class: 'items', id: 'history' },
        ci.history.edges.map(({ node: c }) =>
          h('li', { 'data-change': c.id },
            h('small', {}, `${new Date(c.at).toLocaleString()} · ${c.actor} · ${c.source}`), h('br'),
            `${c.operation} ${c.entity === 'DEPENDENCY' ? `dependency → ${c.to}` : 'CI'}`,
            h('ul', { class: 'fields' }, c.fields.map((f) => h('li', {}, `${f.field}: ${short(f.from)} → ${short(f.to)}`))),
          ),
        ),
      ),
    );
  }

  private ciForm(ci: CIDetail): HTMLElement {
    const business = BUSINESS.includes(ci.kind);
    const field = (name: string, labelText: string, control: HTMLElement) =>
      h('div', { class: 'field', 'data-field': name }, h('label', {}, labelText, control), h('div', { class: 'field-error', 'data-error-for': name }));
    const input = (name: string, value: unknown) => h('input', { name, value: value === null || value === undefined ? '' : String(value) });
    const form = h('form', { id: 'ci-form', 'data-edit': true },
      h('h3', {}, 'Edit'),
      field('name', 'Name', input('name', ci.name)),
      field('owner', 'Owner', input('owner', ci.owner)),
      field('environment', 'Environment', input('environment', ci.environment)),
      field('description', 'Description', h('textarea', { name: 'description', rows: 2 }, ci.description ?? '')),
      field('tags', 'Tags (comma separated)', input('tags', ci.tags.join(', '))),
      business
        ? field('criticality', 'Criticality', h('select', { name: 'criticality' }, CRITICALITY.map((c) => h('option', { value: c, selected: c === (ci.criticality ?? '') }, c || '(none)'))))
        : null,
      ci.kind === 'REDUNDANCY_GROUP' ? field('minHealthy', 'Min healthy', input('minHealthy', ci.minHealthy)) : null,
      field('attributes', 'Attributes (JSON object)', h('textarea', { name: 'attributes', rows: 3 }, JSON.stringify(ci.attributes))),
      h('div', { class: 'field-error', 'data-error-for': '' }),
      h('button', { type: 'submit' }, 'Save'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.saveCI(ci, form);
    });
    return form;
  }

  private async saveCI(ci: CIDetail, form: HTMLFormElement): Promise<void> {
    const data = new FormData(form);
    const text = (name: string) => {
      const value = String(data.get(name) ?? '').trim();
      return value === '' ? null : value;
    };
    const input: Record<string, unknown> = {
      key: ci.key, kind: ci.kind, expectedVersion: ci.version,
      name: text('name'), owner: text('owner'), environment: text('environment'), description: text('description'),
      tags: (text('tags') ?? '').split(',').map((t) => t.trim()).filter(Boolean),
    };
    if (data.has('criticality')) input.criticality = text('criticality');
    if (data.has('minHealthy')) input.minHealthy = text('minHealthy') === null ? null : Number(text('minHealthy'));
    try {
      const attributes = JSON.parse(text('attributes') ?? '{}');
      if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) throw new Error('must be a JSON object');
      input.attributes = attributes;
    } catch (error) {
      return this.showErrors(form, [{ message: `not valid: ${(error as Error).message}`, extensions: { field: 'input[0].attributes' } }]);
    }
    await this.submit(form, ops.UPSERT_CI, { input: [input] }, `Saved ${ci.key}`);
  }

  private dependencyForm(ci: CIDetail): HTMLElement {
    const keys = [...new Set((this.graph()?.nodes ?? []).map((n) => n.key))].sort();
    const field = (name: string, labelText: string, control: HTMLElement) =>
      h('div', { class: 'field', 'data-field': name }, h('label', {}, labelText, control), h('div', { class: 'field-error', 'data-error-for': name }));
    const form = h('form', { id: 'dependency-form', 'data-edit': true },
      h('h3', {}, 'Add a dependency'),
      h('input', { type: 'hidden', name: 'from', value: ci.key }),
      field('to', 'Needs (provider key)', h('input', { name: 'to', list: 'map-keys', autocomplete: 'off' })),
      h('datalist', { id: 'map-keys' }, keys.map((k) => h('option', { value: k }))),
      field('type', 'Type', h('select', { name: 'type' }, DEPENDENCY_TYPES.map((t) => h('option', { value: t }, t.toLowerCase())))),
      field('strength', 'Strength', h('select', { name: 'strength' }, h('option', { value: 'HARD' }, 'HARD'), h('option', { value: 'SOFT' }, 'SOFT'))),
      h('div', { class: 'field-error', 'data-error-for': '' }),
      h('button', { type: 'submit' }, 'Add dependency'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const input = { from: ci.key, to: String(data.get('to') ?? '').trim(), type: String(data.get('type')), strength: String(data.get('strength')) };
      void this.submit(form, ops.UPSERT_DEPENDENCY, { input: [input] }, `Added ${input.from} → ${input.to}`);
    });
    return form;
  }

  private async removeDependency(from: string, to: string): Promise<void> {
    if (!confirm(`Remove the dependency ${from} → ${to}?`)) return;
    try {
      await this.request(ops.DELETE_DEPENDENCY, { input: [{ from, to }] });
      await this.reload();
      this.status(`Removed ${from} → ${to}`);
    } catch (error) {
      this.status(this.message(error), true);
    }
  }

  /** Sends a form's mutation; API errors go next to the fields they name, success reloads the map and the details. */
  private async submit(form: HTMLFormElement, operation: string, variables: Record<string, unknown>, done: string): Promise<void> {
    this.showErrors(form, []);
    try {
      await this.request(operation, variables);
      await this.reload();
      this.status(done);
    } catch (error) {
      this.showErrors(form, error instanceof ApiErrors ? error.errors : [{ message: String(error) }]);
    }
  }

  private showErrors(form: HTMLFormElement, errors: ApiError[]): void {
    const slots = [...form.querySelectorAll<HTMLElement>('[data-error-for]')];
    const fields = slots.map((s) => s.dataset.errorFor!).filter(Boolean);
    const mapped = mapErrors(errors, fields);
    for (const slot of slots) {
      const messages = mapped[slot.dataset.errorFor!] ?? [];
      slot.textContent = messages.join('; ');
      slot.closest('.field')?.classList.toggle('invalid', messages.length > 0);
    }
  }

  private async reload(): Promise<void> {
    if (this.route) await this.loadMap(this.route, [...this.alerting]);
    else if (this.detailKey) await this.showDetail(this.detailKey);
  }

  private message(error: unknown): string {
    return error instanceof ApiErrors ? error.errors.map(describe).join('; ') : String(error);
  }
}

function short(value: unknown): string {
  if (value === null || value === undefined) return '-';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
