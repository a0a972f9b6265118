import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, Page, chromium } from 'playwright-core';
import { Role } from '../../src/auth/roles';
import { loadPrefixedSeed } from '../support/seed-copy';
import { TestApp, startTestApp, uniquePrefix } from '../support/test-app';

/**
 * The browser service map (web/) end to end: the service serves the built app,
 * a real headless Chromium (Debian's package, driven by playwright-core) logs in,
 * opens maps, simulates failures and edits, and every answer is checked against
 * the API itself. Screenshots of each step go to test-output/screenshots/.
 */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');

interface DrawnNode { id: string; kind: string; members: string[]; collapsed: boolean; state: string | null; selected: boolean }
interface Hook {
  nodes(): DrawnNode[];
  edges(): { from: string; to: string; type: string; strength: string }[];
  pagePoint(id: string): { x: number; y: number } | null;
  focus(id: string): void;
  ready(): boolean;
}
declare const window: { svcmap: Hook };

const BLAST = `query($keys: [String!]!, $after: String) { blastRadius(keys: $keys) {
  failedKeys businessImpacts { ci { key } }
  impacted(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node { key state } } } } }`;

describe('browser service map in headless Chromium', () => {
  let t: TestApp;
  let context: BrowserContext;
  let userDataDir: string;
  const p = uniquePrefix('browser');
  const k = (key: string) => p + key;

  beforeAll(async () => {
    // No Chromium is a failure, not a skip: .ci/run installs it.
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium), as .ci/run does`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestApp();
    await loadPrefixedSeed(t, p);
    userDataDir = mkdtempSync(join(tmpdir(), 'svcmap-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1600, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await t?.close();
  });

  /** A fresh tab: its own sessionStorage, so it starts at the login screen. */
  const newPage = async (): Promise<Page> => {
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  const idle = (page: Page) => page.waitForFunction(() => window.svcmap?.ready(), undefined, { timeout: 30_000 });
  const nodes = (page: Page) => page.evaluate(() => window.svcmap.nodes());
  const edges = (page: Page) => page.evaluate(() => window.svcmap.edges());

  const login = async (page: Page, key: string) => {
    await page.goto(`${t.url}/`);
    await page.locator('#api-key').fill(key);
    await page.locator('#login-form button[type=submit]').click();
    await page.locator('#app').waitFor({ state: 'visible' });
    await idle(page);
  };

  const openFromSearch = async (page: Page, key: string, kind: string) => {
    await page.locator('#search').fill(key);
    await page.locator('#search-kind').selectOption(kind);
    await page.locator('#search-form button[type=submit]').click();
    await page.locator(`#results button[data-key="${key}"]`).click();
    await page.waitForFunction((n) => window.svcmap.nodes().length > 0 && document.querySelector('#status')!.textContent!.includes('CIs') && window.svcmap.ready(), key);
  };

  /** A tab logged in with the key, showing the online payments map. */
  const openOnlinePayments = async (key: string) => {
    const page = await newPage();
    await login(page, key);
    await openFromSearch(page, k('bf:online-payments'), 'BUSINESS_FUNCTION');
    return page;
  };

  /** Reloads the tab: the session keeps the key and the address the map. */
  const reloadMap = async (page: Page) => {
    await page.reload();
    await page.locator('#app').waitFor({ state: 'visible' });
    await page.waitForFunction(() => window.svcmap.nodes().length > 0 && window.svcmap.ready());
  };

  /** A real pointer click on the node's place in the canvas. */
  const clickNode = async (page: Page, key: string, modifier?: 'Shift') => {
    await page.evaluate((id) => window.svcmap.focus(id), key);
    const point = await page.evaluate((id) => window.svcmap.pagePoint(id), key);
    expect(point).not.toBeNull();
    if (modifier) await page.keyboard.down(modifier);
    await page.mouse.click(point!.x, point!.y);
    if (modifier) await page.keyboard.up(modifier);
  };

  const clickAndShowDetail = async (page: Page, key: string) => {
    await clickNode(page, key);
    await page.locator(`#detail [data-ci="${key}"]`).waitFor();
    await idle(page);
  };

  const blastRadius = async (keys: string[]) => {
    const impacted: { key: string; state: string }[] = [];
    let after: string | null = null;
    let first: any;
    do {
      const { blastRadius: answer }: any = await t.gqlOk(BLAST, { keys, after });
      first ??= answer;
      impacted.push(...answer.impacted.edges.map((e: any) => e.node));
      after = answer.impacted.pageInfo.hasNextPage ? answer.impacted.pageInfo.endCursor : null;
    } while (after);
    return { failedKeys: first.failedKeys as string[], businessImpacts: first.businessImpacts.map((b: any) => b.ci.key) as string[], impacted };
  };

  it('is served by the service itself at /, next to an API that still answers', async () => {
    const index = await fetch(`${t.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${t.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    expect(await t.gqlOk('{ me { role } }')).toEqual({ me: { role: 'ADMIN' } });
    expect((await t.gql('{ me { role } }', {}, { authorization: '' })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('logs in, opens a business function, and colors exactly the blast radius of a shared component', async () => {
    const page = await newPage();
    await page.goto(`${t.url}/`);
    await page.locator('#login').waitFor({ state: 'visible' });
    await shot(page, '01-login');
    await login(page, t.adminKey);

    await openFromSearch(page, k('bf:online-payments'), 'BUSINESS_FUNCTION');
    const { serviceMap } = await t.gqlOk('query($key: String!) { serviceMap(key: $key) { nodes { key } edges { from to } } }', { key: k('bf:online-payments') });
    expect((await nodes(page)).map((n) => n.id).sort()).toEqual(serviceMap.nodes.map((n: any) => n.key).sort());
    expect((await edges(page)).length).toBe(serviceMap.edges.length);
    expect(await page.locator('#map-title').textContent()).toContain('business function');
    await shot(page, '02-service-map');

    // The shared Postgres cluster also carries business functions outside this map.
    const shared = k('rg:shared-postgres');
    await clickAndShowDetail(page, shared);
    expect((await nodes(page)).filter((n) => n.selected).map((n) => n.id)).toEqual([shared]);
    await shot(page, '03-shared-component-selected');
    await page.locator('#simulate').click();
    await page.locator('#business-impacts').waitFor();
    await idle(page);

    const expected = await blastRadius([shared]);
    const drawn = await nodes(page);
    const colored = drawn.filter((n) => n.state !== null);
    expect(colored.map((n) => n.id).sort()).toEqual(expected.impacted.map((n) => n.key).sort());
    const stateOf = Object.fromEntries(colored.map((n) => [n.id, n.state]));
    for (const n of expected.impacted) expect([n.key, stateOf[n.key]]).toEqual([n.key, expected.failedKeys.includes(n.key) ? 'FAILED' : n.state]);
    expect(expected.businessImpacts.some((key) => !serviceMap.nodes.some((n: any) => n.key === key))).toBe(true);
    const listed = await page.locator('#business-impacts > li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.key));
    expect(listed).toEqual(expected.businessImpacts);
    await shot(page, '04-simulated-failure');

    // Follow the chain of the first impacted business function down to the failure.
    await page.locator('#business-impacts .chain-button').first().click();
    const chain = await page.locator('#chain li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.key));
    expect(chain[0]).toBe(expected.businessImpacts[0]);
    expect(chain.at(-1)).toBe(shared);
    await shot(page, '05-chain');
    await page.close();
  });

  it('simulates the failure of several selected CIs together', async () => {
    const page = await openOnlinePayments(t.adminKey);
    await clickNode(page, k('db:payments-ledger'));
    await clickNode(page, k('svc:fraud-scoring'), 'Shift');
    // The toolbar follows the selection one animation frame later.
    await page.waitForFunction(() => document.querySelector('#simulate')!.textContent === 'Simulate failure of 2');
    expect((await nodes(page)).filter((n) => n.selected).map((n) => n.id).sort()).toEqual([k('db:payments-ledger'), k('svc:fraud-scoring')].sort());
    await page.locator('#simulate').click();
    await page.locator('#business-impacts').waitFor();
    await idle(page);
    const expected = await blastRadius([k('db:payments-ledger'), k('svc:fraud-scoring')]);
    const colored = (await nodes(page)).filter((n) => n.state !== null).map((n) => n.id);
    expect(colored.sort()).toEqual(expected.impacted.map((n) => n.key).sort());
    await page.close();
  });

  it('adds a dependency that persists across a reload, shows it in the history, and removes it', async () => {
    const page = await openOnlinePayments(t.adminKey);
    const consumer = k('svc:payment-processor');
    const provider = k('cache:catalogue-cache');
    await clickAndShowDetail(page, consumer);
    const form = page.locator('#dependency-form');
    await form.locator('[name=to]').fill(provider);
    await form.locator('[name=type]').selectOption('READS_FROM');
    await form.locator('[name=strength]').selectOption('SOFT');
    await form.locator('button[type=submit]').click();
    await page.waitForFunction(() => document.querySelector('#status')!.textContent!.startsWith('Added'));
    await idle(page);
    await shot(page, '06-dependency-added');

    await reloadMap(page);
    expect(await edges(page)).toContainEqual({ from: consumer, to: provider, type: 'READS_FROM', strength: 'SOFT' });
    const { ci } = await t.gqlOk('query($key: String!) { ci(key: $key) { dependencies { to strength type } } }', { key: consumer });
    expect(ci.dependencies).toContainEqual({ to: provider, strength: 'SOFT', type: 'READS_FROM' });

    await clickAndShowDetail(page, consumer);
    await expect(page.locator('#history > li').first().textContent()).resolves.toContain(`CREATE dependency → ${provider}`);
    await shot(page, '07-after-reload-with-history');
    const { ci: counted } = await t.gqlOk('query($key: String!) { ci(key: $key) { dependentCount } }', { key: consumer });
    expect(counted.dependentCount).toBeGreaterThan(0);
    await expect(page.getByText(`Needed by (${counted.dependentCount})`, { exact: true }).count()).resolves.toBe(1);

    await page.locator(`#dependencies li[data-to="${provider}"] .remove-dependency`).click();
    await page.waitForFunction(() => document.querySelector('#status')!.textContent!.startsWith('Removed'));
    await reloadMap(page);
    expect((await edges(page)).some((e) => e.from === consumer && e.to === provider)).toBe(false);
    await page.close();
  });

  it('shows the API validation errors next to the field, and changes nothing', async () => {
    const page = await openOnlinePayments(t.adminKey);
    const consumer = k('svc:payment-processor');
    await clickAndShowDetail(page, consumer);

    const dependency = page.locator('#dependency-form');
    await dependency.locator('[name=to]').fill(k('db:no-such-db'));
    await dependency.locator('button[type=submit]').click();
    const toError = dependency.locator('[data-error-for="to"]');
    await page.waitForFunction(() => document.querySelector('#dependency-form [data-error-for="to"]')!.textContent !== '');
    expect(await toError.textContent()).toContain(`no CI has key '${k('db:no-such-db')}'`);
    expect(await dependency.locator('.field[data-field="to"]').getAttribute('class')).toContain('invalid');
    expect(await dependency.locator('[data-error-for="type"]').textContent()).toBe('');

    const ciForm = page.locator('#ci-form');
    await ciForm.locator('[name=owner]').fill('x'.repeat(200));
    await ciForm.locator('button[type=submit]').click();
    await page.waitForFunction(() => document.querySelector('#ci-form [data-error-for="owner"]')!.textContent !== '');
    expect(await ciForm.locator('[data-error-for="owner"]').textContent()).toMatch(/128/);
    expect(await ciForm.locator('[data-error-for="name"]').textContent()).toBe('');
    await shot(page, '08-validation-errors');

    const { ci } = await t.gqlOk('query($key: String!) { ci(key: $key) { owner dependencies { to } } }', { key: consumer });
    expect(ci.owner).not.toBe('x'.repeat(200));
    expect(ci.dependencies.map((d: any) => d.to)).not.toContain(k('db:no-such-db'));
    await page.close();
  });

  it('offers a reader key no edit actions, but the map, failure simulation and history', async () => {
    const reader = (await t.authAs(Role.READER)).authorization.replace('Bearer ', '');
    const page = await openOnlinePayments(reader);
    expect(await page.locator('#who').textContent()).toContain('reader');
    await clickAndShowDetail(page, k('svc:payment-processor'));
    expect(await page.locator('#dependencies > li').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-edit]').count()).toBe(0);
    expect(await page.locator('#ci-form, #dependency-form, .remove-dependency').count()).toBe(0);
    expect(await page.locator('#history').count()).toBe(1);
    expect(await page.locator('#simulate').isEnabled()).toBe(true);
    await shot(page, '09-reader-no-edits');
    await page.close();
  });

  it('lists active incidents with their probable cause and jumps to the map around it', async () => {
    const now = Date.now();
    const ids = ['db', 'svc', 'bs'].map((x) => `${p}incident-${x}`);
    const alerts = [
      { id: ids[0], key: k('db:payments-ledger'), severity: 'CRITICAL', startsAt: new Date(now - 120_000).toISOString(), summary: 'ledger down' },
      { id: ids[1], key: k('svc:payment-processor'), severity: 'MAJOR', startsAt: new Date(now - 60_000).toISOString(), summary: 'errors' },
      { id: ids[2], key: k('bs:payment-processing'), severity: 'MAJOR', startsAt: new Date(now - 30_000).toISOString(), summary: 'checkout failing' },
    ];
    const ingest = 'mutation($alerts: [AlertIngestInput!]!) { ingestAlerts(alerts: $alerts) { received } }';
    await t.gqlOk(ingest, { alerts });
    try {
      const page = await newPage();
      await login(page, t.adminKey);
      await page.locator('#load-incidents').click();
      const incident = page.locator(`#incidents li.incident[data-cause^="${p}"]`);
      await incident.first().waitFor();
      expect(await incident.count()).toBe(1);
      const cause = (await incident.getAttribute('data-cause'))!;
      const { activeIncidents } = await t.gqlOk('{ activeIncidents { probableCause { key } alerts { key } } }');
      expect(activeIncidents.find((i: any) => i.alerts.some((a: any) => a.key.startsWith(p))).probableCause.key).toBe(cause);
      expect(await incident.textContent()).toContain(cause);
      await shot(page, '10-incidents');

      await incident.locator('button.jump').click();
      await page.waitForFunction((c) => document.querySelector('#map-title')!.textContent === `Around ${c}` && window.svcmap.ready(), cause);
      const drawn = await nodes(page);
      expect(drawn.find((n) => n.id === cause)?.selected).toBe(true);
      const { ci } = await t.gqlOk('query($key: String!) { ci(key: $key) { dependencies { to } dependents { from } } }', { key: cause });
      const ids2 = new Set(drawn.map((n) => n.id));
      for (const d of ci.dependencies) expect(ids2.has(d.to)).toBe(true);
      for (const d of ci.dependents) expect(ids2.has(d.from)).toBe(true);
      await shot(page, '11-map-around-cause');
      await page.close();
    } finally {
      await t.gqlOk(ingest, { alerts: alerts.map((a) => ({ ...a, status: 'RESOLVED' })) });
    }
  });

  it('draws a map of more than 1,000 CIs, folds it by kind and keeps the failure colors on folded nodes', async () => {
    const big = k('bf:big');
    const services = Array.from({ length: 40 }, (_, i) => k(`svc:big-${i}`));
    const hosts = Array.from({ length: 1000 }, (_, i) => k(`host:big-${i}`));
    await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created } }', {
      input: [
        { key: big, kind: 'BUSINESS_FUNCTION', name: 'Big', criticality: 'TIER_2' },
        ...services.map((key) => ({ key, kind: 'SERVICE', owner: 'team-big' })),
        ...hosts.map((key) => ({ key, kind: 'HOST' })),
      ],
    });
    await t.gqlOk('mutation($input: [DependencyInput!]!) { upsertDependencies(input: $input) { created } }', {
      input: [...services.map((to) => ({ from: big, to, type: 'COMPOSED_OF' })), ...hosts.map((to, i) => ({ from: services[i % 40], to, type: 'RUNS_ON', strength: i % 2 ? 'SOFT' : 'HARD' }))],
    });
    const page = await newPage();
    await login(page, t.adminKey);
    await openFromSearch(page, big, 'BUSINESS_FUNCTION');
    expect((await nodes(page)).length).toBe(1041);
    await page.locator('#zoom-in').click();
    await page.locator('#zoom-fit').click();
    await shot(page, '12-large-map');

    await clickNode(page, hosts[0]);
    await page.waitForFunction(() => window.svcmap.nodes().some((n) => n.selected));
    await page.locator('#simulate').click();
    await page.locator('#business-impacts').waitFor();
    await idle(page);
    await page.locator('details.collapse summary').click();
    await page.locator('#kind-toggles input[value="HOST"]').check();
    const folded = await nodes(page);
    expect(folded.length).toBe(42);
    expect(folded.find((n) => n.id === 'kind:HOST')).toMatchObject({ collapsed: true, state: 'FAILED' });
    expect(folded.find((n) => n.id === services[0])?.state).toBe('DOWN');
    await shot(page, '13-large-map-folded');
    await page.close();
  });
});
