import { GraphQLScalarType, Kind, ValueNode } from 'graphql';

function literal(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.LIST:
      return node.values.map(literal);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value)]));
    default:
      return null;
  }
}

/** Any JSON value; used where a value's type depends on the field it belongs to (history). */
export const JSONValueScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value: string, number, boolean, list or object.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literal,
});
