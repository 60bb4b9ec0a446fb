import { QueryFailedError } from 'typeorm';
import type { Caller } from '../../auth/caller';
import { RequestContext, inTransaction, type ServiceDeps } from '../../common/context';
import { badInput, conflict, forbidden, notFound } from '../../common/errors';
import { isUuid } from '../../common/ids';
import { writeAudit } from '../audit/audit.service';
import { OfficeEntity } from './office.entity';
import { allOffices, officeByCode } from './office.service';
import { Role } from '../../auth/role';
import { UserEntity } from './user.entity';
import type { CreateOfficeInput, CreateUserInput, DeactivateUserInput } from './user.inputs';
import { userLoaders } from './user.loaders';
import { callerCache } from './caller.cache';
import { publishLive } from '../live/live.publish';

/**
 * The caller behind a verified token: one statement per request. Unknown or deactivated users get
 * nothing, whatever the token says.
 */
export async function loadCaller(
  ctx: { manager: RequestContext['manager'] },
  userId: string,
): Promise<Caller | null> {
  if (!isUuid(userId)) return null;
  const rows = (await ctx.manager.query(
    `SELECT u.id, u.email, u.name, u.role, u.office_id, o.code AS office_code
       FROM users u LEFT JOIN offices o ON o.id = u.office_id
      WHERE u.id = $1 AND u.active`,
    [userId],
  )) as {
    id: string;
    email: string;
    name: string;
    role: Role;
    office_id: string | null;
    office_code: string | null;
  }[];
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    officeId: row.office_id,
    officeCode: row.office_code,
  };
}

/**
 * The signed-in user for a request: from the short shared cache (`caller.cache.ts`), else read.
 * Unknown and deactivated users are never kept.
 */
export async function currentCaller(
  ctx: { manager: RequestContext['manager']; deps: Pick<ServiceDeps, 'caches'> },
  userId: string,
): Promise<Caller | null> {
  const cache = ctx.deps.caches.get(callerCache);
  const kept = cache.get(userId);
  if (kept) return kept;
  const caller = await loadCaller(ctx, userId);
  if (caller) cache.set(userId, Object.freeze({ ...caller }));
  return caller;
}

export async function me(ctx: RequestContext): Promise<UserEntity> {
  const user = await userLoaders(ctx).user.load(ctx.user.id);
  if (!user) throw notFound('User');
  return user;
}

export async function listOffices(ctx: RequestContext): Promise<OfficeEntity[]> {
  return allOffices(ctx);
}

/** The user with `id` (a well-formed id), or null: other modules read users through here. */
export async function userById(ctx: RequestContext, id: string): Promise<UserEntity | null> {
  return ctx.manager.getRepository(UserEntity).findOne({ where: { id } });
}

export async function createOffice(
  ctx: RequestContext,
  input: CreateOfficeInput,
): Promise<OfficeEntity> {
  return inTransaction(ctx, async (tx) => {
    const repo = tx.manager.getRepository(OfficeEntity);
    if (await repo.exists({ where: { code: input.code } })) {
      throw badInput('input.code', `office ${input.code} already exists`);
    }
    const office = await uniqueInsert(
      () =>
        repo.save(
          repo.create({
            code: input.code,
            name: input.name.trim(),
            timeZone: input.timeZone,
            createdAt: tx.clock.now(),
          }),
        ),
      'input.code',
      `office ${input.code} already exists`,
    );
    await writeAudit(tx, {
      operation: 'createOffice',
      recordType: 'Office',
      recordIds: [office.id],
      officeIds: [office.id],
      change: { after: { code: office.code, name: office.name, timeZone: office.timeZone } },
    });
    return office;
  });
}

export async function createUser(ctx: RequestContext, input: CreateUserInput): Promise<UserEntity> {
  return inTransaction(ctx, async (tx) => {
    const email = input.email.trim().toLowerCase();
    let officeId: string | null = null;
    if (input.role === Role.HEADQUARTERS) {
      if (input.officeCode)
        throw badInput('input.officeCode', 'must be absent for headquarters users');
    } else {
      if (!input.officeCode) throw badInput('input.officeCode', `is required for ${input.role}`);
      const office = await officeByCode(tx, input.officeCode);
      if (!office) throw badInput('input.officeCode', `no office ${input.officeCode}`);
      officeId = office.id;
    }
    const repo = tx.manager.getRepository(UserEntity);
    if (await repo.exists({ where: { email } }))
      throw badInput('input.email', `a user with email ${email} already exists`);
    const user = await uniqueInsert(
      () =>
        repo.save(
          repo.create({
            email,
            name: input.name.trim(),
            role: input.role,
            officeId,
            active: true,
            createdAt: tx.clock.now(),
          }),
        ),
      'input.email',
      `a user with email ${email} already exists`,
    );
    await writeAudit(tx, {
      operation: 'createUser',
      recordType: 'User',
      recordIds: [user.id],
      officeIds: officeId ? [officeId] : [],
      change: {
        after: { email, name: user.name, role: user.role, officeCode: input.officeCode ?? null },
      },
    });
    return user;
  });
}

export async function deactivateUser(
  ctx: RequestContext,
  input: DeactivateUserInput,
): Promise<UserEntity> {
  return inTransaction(ctx, async (tx) => {
    if (!isUuid(input.userId)) throw notFound('User', input.userId);
    // Compared as uuids: an upper-case spelling of one's own id is still oneself.
    if (input.userId.toLowerCase() === tx.user.id.toLowerCase())
      throw forbidden('You may not deactivate yourself.');
    const now = tx.clock.now();
    // Compare-and-set: of two concurrent deactivations one changes the row, the other sees CONFLICT.
    const [rows] = (await tx.manager.query(
      `UPDATE users SET active = false, deactivated_at = $2 WHERE id = $1 AND active RETURNING id`,
      [input.userId, now],
    )) as [{ id: string }[], number];
    const user = await tx.manager
      .getRepository(UserEntity)
      .findOne({ where: { id: input.userId } });
    if (!user) throw notFound('User', input.userId);
    if (rows.length === 0) throw conflict('The user is already deactivated.');
    // Here at once; other processes within CALLER_CACHE_MS.
    tx.deps.caches.get(callerCache).delete(user.id);
    await writeAudit(tx, {
      operation: 'deactivateUser',
      recordType: 'User',
      recordIds: [user.id],
      officeIds: user.officeId ? [user.officeId] : [],
      reason: input.reason,
      change: { before: { active: true }, after: { active: false } },
    });
    // Their live subscriptions end in every process once this commits.
    await publishLive(tx, { kind: 'USER_DEACTIVATED', userId: user.id });
    return user;
  });
}

/** A unique index can still fire between the existence check and the insert (two concurrent creates). */
async function uniqueInsert<T>(
  insert: () => Promise<T>,
  field: string,
  message: string,
): Promise<T> {
  try {
    return await insert();
  } catch (err) {
    if (
      err instanceof QueryFailedError &&
      (err.driverError as { code?: string }).code === '23505'
    ) {
      throw badInput(field, message);
    }
    throw err;
  }
}
