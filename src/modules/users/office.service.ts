/**
 * The one office lookup: every module reads offices (their codes and time zones) through here,
 * never through the table itself.
 */
import { In } from 'typeorm';
import { readScope } from '../../auth/permissions';
import type { RequestContext } from '../../common/context';
import { notFound } from '../../common/errors';
import { OfficeEntity } from './office.entity';

/** An office known to exist (a record's own office). */
export async function officeById(ctx: RequestContext, id: string): Promise<OfficeEntity> {
  return ctx.manager.getRepository(OfficeEntity).findOneOrFail({ where: { id } });
}

/** The office with `code`, or null. */
export async function officeByCode(
  ctx: RequestContext,
  code: string,
): Promise<OfficeEntity | null> {
  return ctx.manager.getRepository(OfficeEntity).findOne({ where: { code } });
}

/** Every office, by code. */
export async function allOffices(ctx: RequestContext): Promise<OfficeEntity[]> {
  return ctx.manager.getRepository(OfficeEntity).find({ order: { code: 'ASC' } });
}

/** The codes of the offices `ids`, by id, in one statement (for figures grouped by office). */
export async function officeCodes(
  ctx: RequestContext,
  ids: string[],
): Promise<Map<string, string>> {
  const offices = await ctx.manager
    .getRepository(OfficeEntity)
    .find({ select: { id: true, code: true }, where: { id: In(ids) } });
  return new Map(offices.map((o) => [o.id, o.code]));
}

/** The caller's own office (supervisors and officers); NOT_FOUND for headquarters. */
export async function callerOffice(ctx: RequestContext): Promise<OfficeEntity> {
  const officeId = readScope(ctx.user);
  const office = officeId
    ? await ctx.manager.getRepository(OfficeEntity).findOne({ where: { id: officeId } })
    : null;
  if (!office) throw notFound('Office');
  return office;
}

/**
 * The offices named by `codes`, if the caller may read them (their own; headquarters any). Naming
 * another office is answered like naming one that does not exist: NOT_FOUND. In one statement.
 */
export async function readableOffices(
  ctx: RequestContext,
  codes: string[],
): Promise<OfficeEntity[]> {
  const mine = readScope(ctx.user);
  const unique = [...new Set(codes)];
  const offices = unique.length
    ? await ctx.manager
        .getRepository(OfficeEntity)
        .createQueryBuilder('o')
        .where('o.code = ANY(:codes)', { codes: unique })
        .getMany()
    : [];
  return unique.map((code) => {
    const office = offices.find((o) => o.code === code);
    if (!office || (mine !== undefined && office.id !== mine)) throw notFound('Office', code);
    return office;
  });
}

/** The office named by `code`, if the caller may read it; see `readableOffices`. */
export async function readableOffice(ctx: RequestContext, code: string): Promise<OfficeEntity> {
  const scope = readScope(ctx.user);
  const office = await officeByCode(ctx, code);
  if (!office || (scope !== undefined && office.id !== scope)) throw notFound('Office', code);
  return office;
}
