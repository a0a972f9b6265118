import { GraphQLObjectType, GraphQLSchema } from 'graphql';

/** Code-first schemas cannot describe Query and Mutation; every client explorer shows these. */
const ROOT_DESCRIPTIONS = {
  query: 'Reads: configuration items, their dependencies, and the questions asked of the map.',
  mutation: 'Writes: each call is one transaction, all of it or none of it.',
};

function described(type: GraphQLObjectType | null | undefined, description: string): GraphQLObjectType | undefined {
  return type ? new GraphQLObjectType({ ...type.toConfig(), description }) : undefined;
}

export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  const query = described(config.query, ROOT_DESCRIPTIONS.query);
  const mutation = described(config.mutation, ROOT_DESCRIPTIONS.mutation);
  const roots = new Set([config.query?.name, config.mutation?.name]);
  return new GraphQLSchema({
    ...config,
    query,
    mutation,
    types: config.types.filter((t) => !roots.has(t.name)),
  });
}
