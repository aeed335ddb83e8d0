import {
  getNamedType, isLeafType, isListType, isNonNullType, Kind,
  type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField, type GraphQLOutputType,
  type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValueNode,
} from 'graphql';

/**
 * Shopify's calculated query cost (shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits,
 * "Cost calculation"): scalars and enums 0, objects 1, interfaces and unions the maximum of their
 * possible selections, connections 2 plus `first`/`last` times the cost of one node, every
 * mutation field 10. Computed before execution: it is the `requestedQueryCost`.
 */
export const MUTATION_COST = 10;
export const CONNECTION_BASE_COST = 2;

interface CostContext {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function requestedQueryCost(schema: GraphQLSchema, operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>, variables: Record<string, unknown>): number {
  const ctx: CostContext = { schema, fragments, variables };
  if (operation.operation === 'mutation') return fields(ctx, operation.selectionSet, schema.getMutationType()!).length * MUTATION_COST;
  return selectionCost(ctx, operation.selectionSet, schema.getQueryType()!);
}

/** The cost of a selection on `type`: its fields' costs, plus the dearest type-conditioned fragment. */
function selectionCost(ctx: CostContext, set: SelectionSetNode, type: GraphQLCompositeType): number {
  let own = 0;
  let dearestFragment = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) own += fieldCost(ctx, selection, type);
    else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : ctx.fragments.get(selection.name.value);
      if (!fragment) continue;
      const on = fragment.typeCondition ? ctx.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType : type;
      dearestFragment = Math.max(dearestFragment, selectionCost(ctx, fragment.selectionSet, on));
    }
  }
  return own + dearestFragment;
}

function fieldCost(ctx: CostContext, node: FieldNode, parent: GraphQLCompositeType): number {
  const def = fieldDefinition(parent, node.name.value);
  if (!def || !node.selectionSet) return 0;
  const named = getNamedType(def.type);
  if (isLeafType(named)) return 0;
  const child = named as GraphQLCompositeType;
  if (named.name.endsWith('Connection')) {
    const size = intArgument(ctx, node, 'first') ?? intArgument(ctx, node, 'last') ?? 0;
    return CONNECTION_BASE_COST + size * connectionNodeCost(ctx, node.selectionSet, child);
  }
  const each = 1 + selectionCost(ctx, node.selectionSet, child);
  const ids = isListOf(def.type) ? listArgumentLength(ctx, node, 'ids') : undefined;
  return ids === undefined ? each : ids * each;
}

/** One node of a connection: what `nodes { ... }` or `edges { node { ... } }` select, 1 for the node itself. */
function connectionNodeCost(ctx: CostContext, set: SelectionSetNode, connection: GraphQLCompositeType): number {
  let cost = 0;
  for (const selection of fields(ctx, set, connection)) {
    const name = selection.name.value;
    const def = fieldDefinition(connection, name);
    if (!def || !selection.selectionSet) continue;
    const named = getNamedType(def.type) as GraphQLCompositeType;
    if (name === 'nodes') cost = Math.max(cost, 1 + selectionCost(ctx, selection.selectionSet, named));
    if (name === 'edges') {
      for (const edgeField of fields(ctx, selection.selectionSet, named)) {
        const nodeDef = fieldDefinition(named, edgeField.name.value);
        if (edgeField.name.value === 'node' && nodeDef && edgeField.selectionSet) {
          cost = Math.max(cost, 1 + selectionCost(ctx, edgeField.selectionSet, getNamedType(nodeDef.type) as GraphQLCompositeType));
        }
      }
    }
  }
  return cost;
}

function fields(ctx: CostContext, set: SelectionSetNode, type: GraphQLCompositeType): FieldNode[] {
  return set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s];
    const fragment = s.kind === Kind.INLINE_FRAGMENT ? s : ctx.fragments.get(s.name.value);
    return fragment ? fields(ctx, fragment.selectionSet, type) : [];
  });
}

function fieldDefinition(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return 'getFields' in type ? type.getFields()[name] : undefined;
}

function isListOf(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function argumentValue(ctx: CostContext, node: FieldNode, name: string): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? literal(ctx, arg.value) : undefined;
}

function literal(ctx: CostContext, value: ValueNode): unknown {
  switch (value.kind) {
    case Kind.VARIABLE: return ctx.variables[value.name.value];
    case Kind.INT: return Number(value.value);
    case Kind.LIST: return value.values.map((v) => literal(ctx, v));
    default: return undefined;
  }
}

function intArgument(ctx: CostContext, node: FieldNode, name: string): number | undefined {
  const value = argumentValue(ctx, node, name);
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function listArgumentLength(ctx: CostContext, node: FieldNode, name: string): number | undefined {
  const value = argumentValue(ctx, node, name);
  return Array.isArray(value) ? value.length : undefined;
}

/**
 * The cost of what the query returned (`actualQueryCost`): connections charged for the nodes they
 * returned rather than for `first`, lists for their elements; Shopify refunds the difference from
 * the requested cost. Walks the answer beside the document; fields absent from the answer cost 0.
 */
export function actualQueryCost(schema: GraphQLSchema, operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>, data: unknown): number {
  const ctx: CostContext = { schema, fragments, variables: {} };
  if (operation.operation === 'mutation') return fields(ctx, operation.selectionSet, schema.getMutationType()!).length * MUTATION_COST;
  return answeredCost(ctx, operation.selectionSet, schema.getQueryType()!, data);
}

function answeredCost(ctx: CostContext, set: SelectionSetNode, type: GraphQLCompositeType, data: unknown): number {
  if (typeof data !== 'object' || data === null) return 0;
  const answer = data as Record<string, unknown>;
  let own = 0;
  let dearestFragment = 0;
  for (const selection of set.selections) {
    if (selection.kind !== Kind.FIELD) {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : ctx.fragments.get(selection.name.value);
      if (!fragment) continue;
      const on = fragment.typeCondition ? ctx.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType : type;
      dearestFragment = Math.max(dearestFragment, answeredCost(ctx, fragment.selectionSet, on, data));
      continue;
    }
    const def = fieldDefinition(type, selection.name.value);
    const value = answer[selection.alias?.value ?? selection.name.value];
    if (!def || !selection.selectionSet || value === undefined) continue;
    const named = getNamedType(def.type);
    if (isLeafType(named)) continue;
    const child = named as GraphQLCompositeType;
    if (named.name.endsWith('Connection')) own += CONNECTION_BASE_COST + answeredConnectionCost(ctx, selection.selectionSet, child, value);
    else if (Array.isArray(value)) own += value.reduce((sum: number, item) => sum + (item === null ? 0 : 1 + answeredCost(ctx, selection.selectionSet!, child, item)), 0);
    else own += 1 + answeredCost(ctx, selection.selectionSet, child, value);
  }
  return own + dearestFragment;
}

/** The nodes a connection returned, each 1 plus what was selected of it (through `nodes` or `edges.node`). */
function answeredConnectionCost(ctx: CostContext, set: SelectionSetNode, connection: GraphQLCompositeType, value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const answer = value as Record<string, unknown>;
  let cost = 0;
  for (const selection of fields(ctx, set, connection)) {
    const def = fieldDefinition(connection, selection.name.value);
    const items = answer[selection.alias?.value ?? selection.name.value];
    if (!def || !selection.selectionSet || !Array.isArray(items)) continue;
    const named = getNamedType(def.type) as GraphQLCompositeType;
    if (selection.name.value === 'nodes') {
      cost = Math.max(cost, items.reduce((sum: number, node) => sum + 1 + answeredCost(ctx, selection.selectionSet!, named, node), 0));
    }
    if (selection.name.value === 'edges') {
      const nodeField = fields(ctx, selection.selectionSet, named).find((f) => f.name.value === 'node');
      const nodeDef = fieldDefinition(named, 'node');
      if (!nodeField?.selectionSet || !nodeDef) continue;
      const nodeType = getNamedType(nodeDef.type) as GraphQLCompositeType;
      const key = nodeField.alias?.value ?? 'node';
      cost = Math.max(cost, items.reduce((sum: number, edge) => sum + 1 + answeredCost(ctx, nodeField.selectionSet!, nodeType, (edge as Record<string, unknown>)?.[key]), 0));
    }
  }
  return cost;
}
