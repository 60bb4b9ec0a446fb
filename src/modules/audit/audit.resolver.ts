import { Args, ArgsType, Ctx, Field, ID, Query, Resolver } from 'type-graphql';
import { PageArgs, toConnection } from '../../common/connection.types';
import type { RequestContext } from '../../common/context';
import { AuditEntity } from './audit.entity';
import { auditCursor, auditTrail } from './audit.service';
import { verifyAuditChain } from './audit.verify';
import { AuditIntegrity, AuditRecord, AuditRecordConnection } from './audit.types';

@ArgsType()
class AuditTrailArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description:
      'Only records concerning this record (a case, a request, a user...): its UUID (anything else is BAD_USER_INPUT).',
  })
  recordId?: string | null;
}

const toRecord = (a: AuditEntity): AuditRecord => ({ ...a, id: a.insertion, chainPosition: a.seq });

@Resolver(() => AuditRecord)
export class AuditResolver {
  @Query(() => AuditRecordConnection, {
    description:
      "Headquarters (every record) and supervisors (records of their office or made in it; in a record spanning offices, only their office's ids): the audit trail, the latest written first, records not chained yet included. Officers: FORBIDDEN. BAD_USER_INPUT: `first` out of range, a cursor not from this list, a malformed `recordId`.",
  })
  async auditTrail(
    @Ctx() ctx: RequestContext,
    @Args(() => AuditTrailArgs) args: AuditTrailArgs,
  ): Promise<AuditRecordConnection> {
    return toConnection(await auditTrail(ctx, args), auditCursor, toRecord);
  }

  @Query(() => AuditIntegrity, {
    description:
      'Headquarters only (others: FORBIDDEN): re-verifies the whole keyed hash chain now, the log against the latest signed checkpoint kept outside the database, and the MAC of every record not chained yet; says how far behind the chainer is. It reads the whole log, so it takes longer as the log grows.',
  })
  auditIntegrity(@Ctx() ctx: RequestContext): Promise<AuditIntegrity> {
    return verifyAuditChain(ctx);
  }
}
