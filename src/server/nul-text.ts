/**
 * PostgreSQL text cannot hold the NUL character (U+0000): a string carrying one would fail deep in
 * a statement as an internal error. Every string of a request, in its variables or written in the
 * document, is checked before anything runs, and the first one found is BAD_USER_INPUT naming it.
 */
import { Kind, visit, type ASTNode, type OperationDefinitionNode } from 'graphql';
import { AppError, badInput } from '../common/errors';

const MESSAGE = 'must not contain the NUL character (U+0000)';

function inValue(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = inValue(item, `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = inValue(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

type Step = ASTNode | readonly ASTNode[];

/** The path of a string literal: its argument, then object fields and list positions. */
function literalPath(ancestors: readonly Step[], parent: Step | undefined, node: ASTNode): string {
  const parts: string[] = [];
  // graphql-js passes the ancestors above the parent, and the parent apart.
  const chain = [...ancestors, ...(parent ? [parent] : []), node];
  for (let i = 0; i < chain.length; i++) {
    const step = chain[i];
    if (Array.isArray(step)) {
      const next = chain[i + 1] as ASTNode | undefined;
      const parent = chain[i - 1] as ASTNode | undefined;
      if (next && parent?.kind === Kind.LIST) parts.push(String(step.indexOf(next)));
      continue;
    }
    const n = step as ASTNode;
    if (n.kind === Kind.ARGUMENT || n.kind === Kind.OBJECT_FIELD) parts.push(n.name.value);
  }
  return parts.join('.');
}

/** The first string of the variables holding NUL. */
export function nulInVariables(variables: Record<string, unknown>): AppError | null {
  for (const [name, value] of Object.entries(variables)) {
    const found = inValue(value, name);
    if (found) return badInput(found, MESSAGE);
  }
  return null;
}

/** The first string literal of the operation holding NUL: the same for every run of it. */
export function nulInDocument(operation: OperationDefinitionNode): AppError | null {
  let error: AppError | null = null;
  visit(operation, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (error || !node.value.includes('\u0000')) return;
      error = badInput(literalPath(ancestors, parent, node) || 'query', MESSAGE);
    },
  });
  return error;
}

export function nulCharacterError(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): AppError | null {
  return nulInVariables(variables) ?? nulInDocument(operation);
}
