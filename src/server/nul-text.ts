/**
 * Text PostgreSQL cannot store as sent: the NUL character (U+0000), and an unpaired UTF-16
 * surrogate (JSON may carry "\ud800" alone; PostgreSQL refuses it in jsonb, and the driver
 * silently writes U+FFFD for it in text, so the row and its audit hash would no longer agree). Such
 * a string would fail deep in a statement as an internal error, or be altered without a word. Every
 * string of a request, in its variables or written in the document, is checked before anything
 * runs, and the first one found is BAD_USER_INPUT naming it.
 */
import { Kind, visit, type ASTNode, type OperationDefinitionNode } from 'graphql';
import { AppError, badInput } from '../common/errors';

const NUL = 'must not contain the NUL character (U+0000)';
const UNPAIRED = 'must be well-formed Unicode (no unpaired surrogate such as \\ud800)';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with a string for the database, if anything. */
function problemOf(text: string): string | null {
  if (text.includes('\u0000')) return NUL;
  return UNPAIRED_SURROGATE.test(text) ? UNPAIRED : null;
}

interface Found {
  path: string;
  message: string;
}

function inValue(value: unknown, path: string): Found | null {
  if (typeof value === 'string') {
    const message = problemOf(value);
    return message ? { path, message } : null;
  }
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

/** The first string of the variables the database cannot store. */
export function nulInVariables(variables: Record<string, unknown>): AppError | null {
  for (const [name, value] of Object.entries(variables)) {
    const found = inValue(value, name);
    if (found) return badInput(found.path, found.message);
  }
  return null;
}

/** The first string literal of the operation the database cannot store: the same for every run. */
export function nulInDocument(operation: OperationDefinitionNode): AppError | null {
  let error: AppError | null = null;
  visit(operation, {
    StringValue(node, _key, parent, _path, ancestors) {
      const message = error ? null : problemOf(node.value);
      if (!message) return;
      error = badInput(literalPath(ancestors, parent, node) || 'query', message);
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
