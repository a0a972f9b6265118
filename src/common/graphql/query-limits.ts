import {
  ASTNode,
  ASTVisitor,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLField,
  GraphQLNamedType,
  GraphQLOutputType,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  SchemaMetaFieldDef,
  SelectionSetNode,
  TypeMetaFieldDef,
  ValidationContext,
  ValidationRule,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputType,
  isInterfaceType,
  isListType,
  isObjectType,
  typeFromAST,
  valueFromAST,
} from 'graphql';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/**
 * Limits that keep one GraphQL request from asking for more than svcmap can
 * answer: how deep fields nest, how much work the operation is estimated to
 * cause, and how many aliases it uses (aliases repeat a costly field in one
 * request). The measures are plain functions over the parsed document; the
 * validation rules below (wired in app.module.ts, the cost rule through
 * query-limits.plugin.ts) turn a measure over its maximum into a
 * BAD_USER_INPUT error naming the limit.
 */

/** How many items a list field is assumed to return when the query does not say (`first`). */
export const DEFAULT_LIST_FACTOR = 10;

export type LimitName = 'depth' | 'cost' | 'aliases';

export interface QueryMeasure {
  /** Deepest nesting of data fields: `{ ci { key } }` is 2. */
  depth: number;
  /** Estimated work, see `measureOperation`. */
  cost: number;
  /** Fields selected under an alias, counted once per place a fragment is spread. */
  aliases: number;
}

export interface MeasureOptions {
  /** Values of the request's variables, for `first: $n`. */
  variables?: Record<string, unknown> | null;
  defaultListFactor?: number;
}

const ZERO: QueryMeasure = { depth: 0, cost: 0, aliases: 0 };

/**
 * Measures one operation of a document.
 *
 * Cost: scalar and enum fields cost 0; a field returning an object costs 1
 * plus its children; a field returning a list costs 1 plus its children's
 * cost times the list size, which is its `first` argument when given, else
 * DEFAULT_LIST_FACTOR. A Relay connection (an object field taking `first`,
 * such as `cis`) hands its `first` to the lists directly inside it (`edges`).
 * Fragments (named and inline) count where they are spread; inline fragments
 * on different types of an interface or union add up, which over-estimates
 * on the safe side.
 *
 * Introspection (`__schema`, `__type`) reads the in-memory schema, not Neo4j,
 * and the standard introspection query nests 15 levels deep, so it counts
 * for neither depth nor cost; graphql-js's own MaxIntrospectionDepthRule
 * (a standard rule since 16.9) stops endlessly nested introspection.
 * Unknown fields, fragments and types are skipped (the standard validation
 * rules report them), and fragment cycles end the walk.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  options: MeasureOptions = {},
): QueryMeasure {
  const walker = new Walker(schema, document, operation, options);
  const root = schema.getRootType(operation.operation);
  return root ? walker.selectionSet(operation.selectionSet, root, undefined) : ZERO;
}

class Walker {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  /** A fragment's measure depends only on itself, the request and an enclosing page size, so each is walked once however often it is spread. */
  private readonly fragmentMeasures = new Map<string, QueryMeasure>();
  private readonly inProgress = new Set<string>();
  private readonly variables: Record<string, unknown>;
  private readonly defaultListFactor: number;

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly operation: OperationDefinitionNode,
    options: MeasureOptions,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
    this.variables = options.variables ?? {};
    this.defaultListFactor = options.defaultListFactor ?? DEFAULT_LIST_FACTOR;
  }

  /**
   * Measures the selections on `parentType`. The selections of one set run
   * side by side: depths take the maximum, costs and aliases add up.
   * `pageSize` is the `first` of an enclosing connection, for its `edges`.
   */
  selectionSet(selectionSet: SelectionSetNode, parentType: GraphQLNamedType, pageSize: number | undefined): QueryMeasure {
    const total = { ...ZERO };
    const add = (part: QueryMeasure) => {
      total.depth = Math.max(total.depth, part.depth);
      total.cost += part.cost;
      total.aliases += part.aliases;
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        add(this.field(selection, parentType, pageSize));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parentType;
        if (type) add(this.selectionSet(selection.selectionSet, type, pageSize));
      } else {
        add(this.fragment(selection.name.value, pageSize));
      }
    }
    return total;
  }

  private fragment(name: string, pageSize: number | undefined): QueryMeasure {
    const key = `${name}/${pageSize ?? ''}`;
    const known = this.fragmentMeasures.get(key);
    if (known) return known;
    const definition = this.fragments.get(name);
    if (!definition || this.inProgress.has(name)) return ZERO;
    const type = this.schema.getType(definition.typeCondition.name.value);
    if (!type) return ZERO;
    this.inProgress.add(name);
    const measure = this.selectionSet(definition.selectionSet, type, pageSize);
    this.inProgress.delete(name);
    this.fragmentMeasures.set(key, measure);
    return measure;
  }

  private field(node: FieldNode, parentType: GraphQLNamedType, pageSize: number | undefined): QueryMeasure {
    const aliases = node.alias ? 1 : 0;
    const name = node.name.value;
    const introspection = name === '__schema' || name === '__type';
    const definition = name === '__schema' ? SchemaMetaFieldDef : name === '__type' ? TypeMetaFieldDef : fieldOf(parentType, name);
    const type = definition && getNamedType(definition.type);
    if (!definition || !node.selectionSet || !isCompositeType(type)) return { ...ZERO, depth: 1, aliases };

    const isList = returnsList(definition.type);
    const first = this.firstArgument(node, definition);
    const children = this.selectionSet(node.selectionSet, type, isList ? undefined : first);
    if (introspection) return { ...ZERO, aliases: aliases + children.aliases };
    const factor = isList ? first ?? pageSize ?? this.defaultListFactor : 1;
    return {
      depth: children.depth + 1,
      cost: 1 + factor * children.cost,
      aliases: aliases + children.aliases,
    };
  }

  /** The `first` argument's value: a literal, a variable's value (or its default), or the argument's schema default. */
  private firstArgument(node: FieldNode, definition: GraphQLField<unknown, unknown>): number | undefined {
    const argument = definition.args.find((arg) => arg.name === 'first');
    if (!argument) return undefined;
    const given = node.arguments?.find((arg) => arg.name.value === 'first');
    let value: unknown = argument.defaultValue;
    if (given) {
      if (given.value.kind === Kind.VARIABLE) {
        const variable = given.value.name.value;
        value = variable in this.variables ? this.variables[variable] : this.variableDefault(variable);
      } else {
        value = valueFromAST(given.value, argument.type);
      }
    }
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
  }

  private variableDefault(name: string): unknown {
    const definition = this.operation.variableDefinitions?.find((variable) => variable.variable.name.value === name);
    if (!definition?.defaultValue) return undefined;
    const type = typeFromAST(this.schema, definition.type);
    return type && isInputType(type) ? valueFromAST(definition.defaultValue, type) : undefined;
  }
}

function fieldOf(type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

function returnsList(type: GraphQLOutputType): boolean {
  return isListType(getNullableType(type));
}

/** A refusal: BAD_USER_INPUT naming the limit, its value and its maximum; answered with HTTP 400. */
export function limitError(limit: LimitName, value: number, maximum: number, nodes?: ASTNode): GraphQLError {
  const what = { depth: 'Query depth', cost: 'Estimated query cost', aliases: 'Number of aliases' }[limit];
  const shown = Number.isFinite(value) ? Math.round(value) : value;
  const message = `${what} ${shown} exceeds the maximum of ${maximum}`;
  return new GraphQLError(message, {
    nodes,
    // The error formatter answers DomainErrors with their code and details, whichever layer wraps them.
    originalError: new DomainError(ErrorCode.BAD_USER_INPUT, message, { limit, value: shown, maximum }),
    extensions: { http: { status: 400 } },
  });
}

/** Checks each operation of the document once it has been read, like graphql-js's own rules. */
function operationRule(check: (measure: QueryMeasure, operation: OperationDefinitionNode, context: ValidationContext) => void): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition: {
      leave(operation) {
        check(measureOperation(context.getSchema(), context.getDocument(), operation), operation, context);
      },
    },
  });
}

/** Refuses operations whose fields nest deeper than `maximum`. */
export function maxDepthRule(maximum: number): ValidationRule {
  return operationRule((measure, operation, context) => {
    if (measure.depth > maximum) context.reportError(limitError('depth', measure.depth, maximum, operation));
  });
}

/** Refuses operations with more than `maximum` aliased fields. */
export function maxAliasesRule(maximum: number): ValidationRule {
  return operationRule((measure, operation, context) => {
    if (measure.aliases > maximum) context.reportError(limitError('aliases', measure.aliases, maximum, operation));
  });
}

/**
 * Refuses operations estimated to cost more than `maximum`. The cost depends
 * on variables (`first: $n`), which validation rules normally do not see and
 * Apollo skips validation for documents it has seen before, so this rule is
 * built per request with its variables (see query-limits.plugin.ts).
 */
export function maxCostRule(maximum: number, variables?: Record<string, unknown> | null, operationName?: string | null): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition: {
      leave(operation) {
        if (operationName && operation.name?.value !== operationName) return;
        const measure = measureOperation(context.getSchema(), context.getDocument(), operation, { variables });
        if (measure.cost > maximum) context.reportError(limitError('cost', measure.cost, maximum, operation));
      },
    },
  });
}
