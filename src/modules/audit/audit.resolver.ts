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
    description: 'Only records concerning this record (a case, a user...).',
  })
  recordId?: string | null;
}

const toRecord = (a: AuditEntity): AuditRecord => ({ ...a, id: a.insertion, chainPosition: a.seq });

@Resolver(() => AuditRecord)
export class AuditResolver {
  @Query(() => AuditRecordConnection, {
    description:
      'Audit records, newest first: headquarters all, a supervisor those of their office.',
  })
  async auditTrail(
    @Ctx() ctx: RequestContext,
    @Args(() => AuditTrailArgs) args: AuditTrailArgs,
  ): Promise<AuditRecordConnection> {
    return toConnection(await auditTrail(ctx, args), auditCursor, toRecord);
  }

  @Query(() => AuditIntegrity, {
    description:
      'Headquarters: re-verifies the whole keyed hash chain now, the log against the latest signed checkpoint kept outside the database, and the MAC of every record not chained yet; says how far behind the chainer is.',
  })
  auditIntegrity(@Ctx() ctx: RequestContext): Promise<AuditIntegrity> {
    return verifyAuditChain(ctx);
  }
}
