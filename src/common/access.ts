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
