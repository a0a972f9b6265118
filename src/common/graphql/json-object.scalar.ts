import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from 'graphql';

/** Attribute values are flat: strings, numbers, booleans, or lists of those. */
export type AttributeValue = string | number | boolean | null | Array<string | number | boolean>;
export type Attributes = Record<string, AttributeValue>;

function literalValue(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literalValue);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literalValue(f.value)]));
    default:
      throw new GraphQLError(`JSONObject cannot hold a ${node.kind}`);
  }
}

function asObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GraphQLError('JSONObject must be an object of key/value pairs');
  }
  return value as Record<string, unknown>;
}

/** A JSON object; its shape is checked by the input's validation, not here. */
export const JSONObjectScalar = new GraphQLScalarType({
  name: 'JSONObject',
  description: 'A JSON object of free key/value pairs (values: string, number, boolean, or a list of those).',
  serialize: (value) => asObject(value),
  parseValue: (value) => asObject(value),
  parseLiteral: (node) => asObject(literalValue(node)),
});
