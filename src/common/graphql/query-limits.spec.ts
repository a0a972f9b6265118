import { GraphQLError, OperationDefinitionNode, buildSchema, getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import { DomainError } from '../errors/domain-error';
import { QueryMeasure, maxAliasesRule, maxCostRule, maxDepthRule, measureOperation } from './query-limits';

// A small schema shaped like svcmap's: lists without `first`, a Relay connection, a mutation.
const schema = buildSchema(`
  type Query {
    ci(key: String!): CI
    cis(first: Int, after: String): CIConnection!
    recent(first: Int = 3): [CI!]!
    search(text: String!): [Match!]!
  }
  type Mutation { upsertCIs(input: [String!]!): UpsertResult! }
  type UpsertResult { created: Int!, cis: [CI!]! }
  enum Kind { SERVICE DATABASE }
  interface Node { key: String! }
  type CI implements Node { key: String!, kind: Kind!, tags: [String!]!, dependencies: [Dependency!]!, dependents: [Dependency!]! }
  type Dependency { type: String!, provider: CI!, consumer: CI! }
  type CIConnection { edges: [CIEdge!]!, totalCount: Int!, pageInfo: PageInfo! }
  type CIEdge { cursor: String!, node: CI! }
  type PageInfo { hasNextPage: Boolean! }
  type Team implements Node { key: String!, members: [CI!]! }
  union Match = CI | Team
`);

/** `fields { type { ofType { ofType { fields ...` four times over: each round multiplies the answer by the number of fields. */
const ENDLESS_INTROSPECTION = `{ __schema { types { ${'fields { type { ofType { ofType { '.repeat(4)}name${' } } } }'.repeat(4)} } } }`;

function measure(query: string, variables?: Record<string, unknown>, operationName?: string): QueryMeasure {
  const document = parse(query);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  const operation = operationName ? operations.find((o) => o.name?.value === operationName)! : operations[0];
  return measureOperation(schema, document, operation, { variables });
}

describe('measureOperation: depth', () => {
  it('counts nesting levels of fields, a root scalar field being 1', () => {
    expect(measure('{ ci(key: "a") { key } }').depth).toBe(2);
    expect(measure('{ ci(key: "a") { key dependencies { provider { dependencies { provider { key } } } } } }').depth).toBe(6);
    expect(measure('{ __typename }').depth).toBe(1);
  });

  it('follows named and inline fragments to their deepest field', () => {
    const query = `
      { ci(key: "a") { ...Deps ... on CI { dependents { consumer { key } } } } }
      fragment Deps on CI { dependencies { provider { ...Deeper } } }
      fragment Deeper on CI { dependencies { provider { key } } }`;
    expect(measure(query).depth).toBe(6);
  });

  it('stops at fragment cycles instead of looping (validation reports the cycle)', () => {
    const query = `{ ci(key: "a") { ...A } } fragment A on CI { dependencies { provider { ...B } } } fragment B on CI { key ...A }`;
    expect(measure(query).depth).toBe(4);
  });

  it('leaves introspection out of depth and cost (the explorer introspection query nests 15 deep)', () => {
    expect(measure(getIntrospectionQuery())).toEqual({ depth: 0, cost: 0, aliases: 0 });
    expect(measure('{ __typename ci(key: "a") { key } s: __schema { queryType { name } } }')).toEqual({ depth: 2, cost: 1, aliases: 1 });
  });
});

describe('measureOperation: cost', () => {
  it('charges 0 for scalars, 1 for an object field, and multiplies the children of lists by 10', () => {
    expect(measure('{ ci(key: "a") { key kind tags } }').cost).toBe(1);
    // ci 1 + dependencies (1 + 10 x provider 1)
    expect(measure('{ ci(key: "a") { dependencies { type provider { key } } } }').cost).toBe(1 + 1 + 10 * 1);
    // a list of objects with only scalars inside still costs 1 for the list itself
    expect(measure('{ ci(key: "a") { dependencies { type } } }').cost).toBe(2);
  });

  it('multiplies nested lists', () => {
    // ci 1 + deps (1 + 10 x (provider 1 + deps (1 + 10 x (provider 1 + deps (1 + 10 x provider 1)))))
    const query = '{ ci(key: "a") { dependencies { provider { dependencies { provider { dependencies { provider { key } } } } } } } }';
    expect(measure(query).cost).toBe(1 + (1 + 10 * (1 + (1 + 10 * (1 + (1 + 10 * 1))))));
  });

  it('uses a literal `first` as the size of a list, and a connection hands it to its edges', () => {
    expect(measure('{ recent(first: 50) { dependencies { type } } }').cost).toBe(1 + 50 * 1);
    // cis 1 + edges (1 + 100 x node (1 + dependencies (1 + 10 x provider 1)))
    expect(measure('{ cis(first: 100) { totalCount edges { node { key dependencies { provider { key } } } } } }').cost).toBe(
      1 + (1 + 100 * (1 + (1 + 10 * 1))),
    );
    expect(measure('{ cis { edges { node { key } } } }').cost).toBe(1 + (1 + 10 * 1));
  });

  it('reads `first` from variables, then from the variable default, then from the argument default', () => {
    const query = 'query Page($n: Int) { cis(first: $n) { edges { node { key } } } }';
    expect(measure(query, { n: 400 }).cost).toBe(1 + (1 + 400));
    expect(measure(query, {}).cost).toBe(1 + (1 + 10));
    expect(measure('query($n: Int = 70) { cis(first: $n) { edges { node { key } } } }', {}).cost).toBe(1 + (1 + 70));
    expect(measure('query($n: Int = 70) { cis(first: $n) { edges { node { key } } } }', { n: 5 }).cost).toBe(1 + (1 + 5));
    expect(measure('{ recent { dependencies { type } } }').cost).toBe(1 + 3 * 1);
    // A nonsense value (the variable coercion rejects it later) counts as the default list size.
    expect(measure(query, { n: 'many' }).cost).toBe(1 + (1 + 10));
  });

  it('counts fragments where they are spread, with the page size of the connection around them', () => {
    const query = `
      query($n: Int) { cis(first: $n) { ...Page } again: ci(key: "a") { ...Card } }
      fragment Page on CIConnection { edges { node { ...Card } } }
      fragment Card on CI { key ... on CI { dependencies { provider { key } } } }`;
    const card = 1 + 10 * 1;
    expect(measure(query, { n: 20 }).cost).toBe(1 + (1 + 20 * (1 + card)) + (1 + card));
  });

  it('adds up the alternatives of a union, erring on the safe side', () => {
    const query = '{ search(text: "x") { ... on CI { dependencies { type } } ... on Team { members { key } } } }';
    expect(measure(query).cost).toBe(1 + 10 * (1 + 1));
  });

  it('measures only the requested operation of a document', () => {
    const query = 'query Small { ci(key: "a") { key } } query Big { cis(first: 500) { edges { node { dependencies { type } } } } }';
    expect(measure(query, {}, 'Small').cost).toBe(1);
    expect(measure(query, {}, 'Big').cost).toBe(1 + (1 + 500 * (1 + 1)));
  });

  it('prices mutations like queries', () => {
    expect(measure('mutation { upsertCIs(input: ["a"]) { created cis { key dependencies { type } } } }').cost).toBe(1 + (1 + 10 * 1));
  });

  it('walks each fragment once, so fragments spread exponentially often are measured, not expanded', () => {
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, i) =>
      `fragment F${i} on CI { ${i + 1 < levels ? `...F${i + 1} a${i}: dependencies { provider { ...F${i + 1} } }` : 'key'} }`,
    ).join('\n');
    // Expanded, this document has about 2^30 fields; walked naively the test would not finish.
    const result = measure(`{ ci(key: "a") { ...F0 } } ${fragments}`);
    expect(result.cost).toBeGreaterThan(1e30);
    expect(result.aliases).toBeGreaterThan(1e6);
  });
});

describe('measureOperation: aliases', () => {
  it('counts aliased fields, including inside fragments, once per spread', () => {
    expect(measure('{ a: ci(key: "a") { key } b: ci(key: "b") { k: key } ci(key: "c") { key } }').aliases).toBe(3);
    const query = '{ a: ci(key: "a") { ...Names } b: ci(key: "b") { ...Names } } fragment Names on CI { n1: key n2: key }';
    expect(measure(query).aliases).toBe(2 + 2 * 2);
  });
});

describe('the validation rules', () => {
  const check = (query: string, rules = [maxDepthRule(5), maxAliasesRule(3), maxCostRule(100)]) =>
    validate(schema, parse(query), [...specifiedRules, ...rules]);

  it('accept an operation within the limits', () => {
    expect(check('{ ci(key: "a") { key dependencies { provider { key } } } }')).toEqual([]);
    expect(check(getIntrospectionQuery())).toEqual([]);
  });

  it('refuse a too-deep operation with a BAD_USER_INPUT domain error naming the limit', () => {
    const [error, ...rest] = check('{ ci(key: "a") { dependencies { provider { dependencies { provider { dependencies { type } } } } } } }', [maxDepthRule(5)]);
    expect(rest).toEqual([]);
    expect(error.message).toBe('Query depth 7 exceeds the maximum of 5');
    expect(error.originalError).toBeInstanceOf(DomainError);
    expect((error.originalError as DomainError).code).toBe('BAD_USER_INPUT');
    expect((error.originalError as DomainError).details).toEqual({ limit: 'depth', value: 7, maximum: 5 });
    expect(error.locations).toEqual([{ line: 1, column: 1 }]);
  });

  it('leave endlessly nested introspection to the MaxIntrospectionDepthRule of graphql-js', () => {
    const errors = check(ENDLESS_INTROSPECTION);
    expect(errors.map((e: GraphQLError) => e.message)).toEqual(['Maximum introspection depth exceeded']);
  });

  it('refuse too many aliases and too high a cost', () => {
    expect(check('{ a: ci(key: "a") { key } b: ci(key: "b") { key } c: ci(key: "c") { key } d: ci(key: "d") { key } }').map((e) => e.message)).toEqual([
      'Number of aliases 4 exceeds the maximum of 3',
    ]);
    const costly = check('{ cis(first: 50) { edges { node { key dependencies { type } } } } }');
    expect(costly.map((e) => e.message)).toEqual(['Estimated query cost 102 exceeds the maximum of 100']);
    expect((costly[0].originalError as DomainError).details).toEqual({ limit: 'cost', value: 102, maximum: 100 });
  });

  it('let the cost rule see the request variables and the chosen operation', () => {
    const query = 'query Page($n: Int) { cis(first: $n) { edges { node { key } } } } query Other { ci(key: "a") { key } }';
    expect(check(query, [maxCostRule(100, { n: 98 }, 'Page')])).toEqual([]);
    expect(check(query, [maxCostRule(100, { n: 99 }, 'Page')]).map((e) => e.message)).toEqual(['Estimated query cost 101 exceeds the maximum of 100']);
    expect(check(query, [maxCostRule(100, { n: 1000 }, 'Other')])).toEqual([]);
  });
});
