import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import type { ViewGraph } from './collapse';
import type { NodeState } from './impact';
import { stateClass } from './impact';

/** Above this many nodes the drawing trades looks for speed (no edges while panning, one texture, no labels far out). */
export const LARGE_MAP = 300;

/** Colors per family of kinds, so layers read at a glance before any label does. */
const FAMILY: Record<string, string> = {
  BUSINESS_FUNCTION: '#1d4ed8',
  BUSINESS_SERVICE: '#3b82f6',
  APPLICATION: '#0891b2',
  SERVICE: '#0d9488',
  API: '#0d9488',
  FUNCTION: '#0d9488',
  DATABASE: '#7c3aed',
  CACHE: '#7c3aed',
  QUEUE: '#7c3aed',
  STORAGE: '#7c3aed',
  VOLUME: '#7c3aed',
  REDUNDANCY_GROUP: '#be185d',
};

function label(n: ViewGraph['nodes'][number]): string {
  const second = [n.kind, n.owner].filter(Boolean).join(' · ');
  return n.collapsed && n.key.startsWith('kind:') ? n.name : `${n.name}\n${second}${n.collapsed ? ` (+${n.members.length - 1})` : ''}`;
}

export interface DrawnNode {
  id: string;
  kind: string;
  members: string[];
  collapsed: boolean;
  state: NodeState | null;
  selected: boolean;
}

/** The Cytoscape drawing: elements in, selection and positions out. Knows nothing of the API. */
export class GraphView {
  private cy: Core;
  private states = new Map<string, NodeState | undefined>();

  constructor(private readonly container: HTMLElement) {
    this.cy = cytoscape({
      container,
      elements: [],
      layout: { name: 'preset' },
      minZoom: 0.02,
      maxZoom: 3,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: true,
      selectionType: 'single',
      style: [
        {
          selector: 'node',
          style: {
            shape: 'round-rectangle',
            width: 170,
            height: 46,
            'background-color': (n: NodeSingular) => FAMILY[n.data('kind')] ?? '#475569',
            color: '#ffffff',
            label: 'data(label)',
            'text-wrap': 'wrap',
            'text-max-width': '160px',
            'font-size': 13,
            'text-valign': 'center',
            'text-halign': 'center',
            'min-zoomed-font-size': 5,
            'border-width': 1,
            'border-color': '#0f172a',
          },
        },
        { selector: 'node[?collapsed]', style: { shape: 'barrel', 'border-width': 3, 'border-style': 'double' } },
        { selector: 'node.impact-failed', style: { 'background-color': '#450a0a', 'border-color': '#000', 'border-width': 4 } },
        { selector: 'node.impact-down', style: { 'background-color': '#dc2626' } },
        { selector: 'node.impact-degraded', style: { 'background-color': '#f59e0b', color: '#111827' } },
        { selector: 'node.alerting', style: { 'outline-width': 6, 'outline-color': '#a21caf', 'outline-offset': 2 } as never },
        { selector: 'node:selected', style: { 'border-width': 5, 'border-color': '#22d3ee' } },
        { selector: 'node.chain', style: { 'border-width': 5, 'border-color': '#2563eb' } },
        {
          selector: 'edge',
          style: {
            width: 1.5,
            'curve-style': 'straight',
            'line-color': '#94a3b8',
            'target-arrow-shape': 'triangle',
            'target-arrow-color': '#94a3b8',
            'arrow-scale': 0.8,
            label: 'data(label)',
            'font-size': 9,
            color: '#334155',
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.8,
            'min-zoomed-font-size': 9,
          },
        },
        { selector: 'edge[strength = "SOFT"]', style: { 'line-style': 'dashed' } },
        { selector: 'edge[strength = ""]', style: { 'line-style': 'dotted', 'line-color': '#cbd5e1' } },
        { selector: 'edge.chain', style: { width: 4, 'line-color': '#2563eb', 'target-arrow-color': '#2563eb', 'z-index': 10 } },
      ],
    });
  }

  /** Replaces the drawing in one batch (no layout run, no animation: positions are given). */
  render(view: ViewGraph, positions: Map<string, { x: number; y: number }>, states: Map<string, NodeState | undefined>): void {
    const large = view.nodes.length > LARGE_MAP;
    const elements: ElementDefinition[] = [];
    for (const n of view.nodes) {
      elements.push({
        group: 'nodes',
        data: { id: n.key, kind: n.kind, label: label(n), members: n.members, collapsed: n.collapsed },
        position: positions.get(n.key) ?? { x: 0, y: 0 },
        classes: stateClass(states.get(n.key)),
      });
    }
    for (const e of view.edges) {
      elements.push({
        group: 'edges',
        data: { id: `${e.from}->${e.to}`, source: e.from, target: e.to, strength: e.strength, type: e.type, label: e.strength ? `${e.type.toLowerCase()} · ${e.strength}` : 'impact chain' },
      });
    }
    this.states = states;
    const cy = this.cy;
    // Renderer options cannot change after creation; these two are read on every frame, so flip them here.
    const renderer = (cy as unknown as { renderer(): { hideEdgesOnViewport: boolean; textureOnViewport: boolean } }).renderer();
    renderer.hideEdgesOnViewport = large;
    renderer.textureOnViewport = large;
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
    });
    cy.fit(undefined, 30);
  }

  /** Recolors without redrawing. */
  setStates(states: Map<string, NodeState | undefined>): void {
    this.states = states;
    this.cy.batch(() => {
      this.cy.nodes().forEach((n) => {
        n.removeClass('impact-failed impact-down impact-degraded');
        const c = stateClass(states.get(n.id()));
        if (c) n.addClass(c);
      });
    });
  }

  markAlerting(ids: Set<string>): void {
    this.cy.batch(() => {
      this.cy.nodes().forEach((n) => {
        if (ids.has(n.id())) n.addClass('alerting');
        else n.removeClass('alerting');
      });
    });
  }

  /** Highlights a chain of drawn nodes and the edges between neighbours, and brings it into view. */
  highlightChain(ids: string[]): void {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements('.chain').removeClass('chain');
      for (let i = 0; i < ids.length; i++) {
        cy.getElementById(ids[i]).addClass('chain');
        if (i + 1 < ids.length) cy.getElementById(`${ids[i]}->${ids[i + 1]}`).addClass('chain');
      }
    });
    const chain = cy.elements('.chain');
    if (chain.length) cy.fit(chain, 60);
  }

  focus(id: string): void {
    const node = this.cy.getElementById(id);
    if (!node.length) return;
    this.cy.zoom(1);
    this.cy.center(node);
  }

  select(ids: string[]): void {
    this.cy.batch(() => {
      this.cy.nodes(':selected').unselect();
      for (const id of ids) this.cy.getElementById(id).select();
    });
  }

  onSelectionChange(listener: (selected: DrawnNode[]) => void): void {
    let pending = false;
    // Box selection fires one event per node: report once per frame.
    const fire = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        listener(this.selected());
      });
    };
    this.cy.on('select unselect', 'node', fire);
  }

  selected(): DrawnNode[] {
    return this.cy.nodes(':selected').map((n) => this.describe(n));
  }

  nodes(): DrawnNode[] {
    return this.cy.nodes().map((n) => this.describe(n));
  }

  edges(): { from: string; to: string; type: string; strength: string }[] {
    return this.cy.edges().map((e) => ({ from: e.data('source'), to: e.data('target'), type: e.data('type'), strength: e.data('strength') }));
  }

  /** Where a node is on the page (for a pointer), or null when it is not drawn. */
  pagePoint(id: string): { x: number; y: number } | null {
    const node = this.cy.getElementById(id);
    if (!node.length) return null;
    const box = this.container.getBoundingClientRect();
    const p = node.renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y };
  }

  zoomBy(factor: number): void {
    const cy = this.cy;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  fit(): void {
    this.cy.fit(undefined, 30);
  }

  private describe(n: NodeSingular): DrawnNode {
    return { id: n.id(), kind: n.data('kind'), members: n.data('members'), collapsed: !!n.data('collapsed'), state: this.states.get(n.id()) ?? null, selected: n.selected() };
  }
}
