/**
 * The one way to fetch a record the caller may see: by id, within the caller's office
 * (headquarters: any office). A malformed id, a missing record and another office's record get
 * the same answer, NOT_FOUND, so an id never tells whether it exists elsewhere.
 */
import type { EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { readScope } from '../auth/permissions';
import type { RequestContext } from './context';
import { notFound } from './errors';
import { isUuid } from './ids';

export async function findVisible<T extends ObjectLiteral & { id: string; officeId: string }>(
  ctx: RequestContext,
  entity: EntityTarget<T>,
  /** How NOT_FOUND names the record ('Case', 'Approval request'). */
  label: string,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<T> {
  if (!isUuid(id)) throw notFound(label, id);
  const office = readScope(ctx.user);
  const where = (office === undefined ? { id } : { id, officeId: office }) as FindOptionsWhere<T>;
  const found = await ctx.manager.getRepository(entity).findOne({
    where,
    // Within a transaction: the row stays locked to commit (serializes writers on one record).
    ...(opts.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!found) throw notFound(label, id);
  return found;
}

/**
 * `findVisible`'s answer for reads, through a request's loader (plain rows, batched with the
 * request's other reads, only the columns the operation needs): NOT_FOUND for a malformed id, a
 * missing record and another office's alike.
 */
export async function readVisible<T extends { officeId: string }>(
  ctx: RequestContext,
  loader: { load(id: string): Promise<T | undefined> },
  label: string,
  id: string,
): Promise<T> {
  if (!isUuid(id)) throw notFound(label, id);
  const office = readScope(ctx.user);
  const found = await loader.load(id);
  if (!found || (office !== undefined && found.officeId !== office)) throw notFound(label, id);
  return found;
}
