import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { PageArgs, toConnection } from '../../common/connection.types';
import { totalCountResolver } from '../../common/total-count';
import type { RequestContext } from '../../common/context';
import { required } from '../../common/required';
import { DateTimeScalar } from '../../common/scalars';
import { OfficeEntity } from '../users/office.entity';
import { UserEntity } from '../users/user.entity';
import { Office, User } from '../users/user.types';
import { CaseEntity } from './case.entity';
import { CaseFilter, CloseCaseInput, OpenCaseInput, UpdateCaseFactsInput } from './case.inputs';
import { gangParticipationOf, vulnerabilityOf } from './case.facts';
import { formatANumber } from './case.rules';
import * as cases from './case.service';
import { caseCursor, listCases } from './case.listing';
import { Case, CaseConnection, CaseFacts, Conviction, Subject } from './case.types';
import { ConvictionEntity } from './conviction.entity';
import { caseLoaders } from './case.loaders';
import { userLoaders } from '../users/user.loaders';

@ArgsType()
class CasesArgs extends PageArgs {
  @Field(() => CaseFilter, { nullable: true })
  filter?: CaseFilter | null;
}

@Resolver(() => Case)
export class CaseResolver {
  @Query(() => Case, { description: 'One case of your office (headquarters: any office).' })
  case(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<CaseEntity> {
    return cases.findVisibleCase(ctx, id);
  }

  @Query(() => CaseConnection, {
    description: 'Cases of your office (headquarters: every office), newest first.',
  })
  async cases(
    @Ctx() ctx: RequestContext,
    @Args(() => CasesArgs) args: CasesArgs,
  ): Promise<unknown> {
    return toConnection(await listCases(ctx, args), caseCursor);
  }

  @Mutation(() => Case, {
    description: 'Opens a case in your office with the subject and the facts known so far.',
  })
  openCase(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => OpenCaseInput) input: OpenCaseInput,
  ): Promise<CaseEntity> {
    return cases.openCase(ctx, input);
  }

  @Mutation(() => Case, {
    description:
      'Changes the facts of an open case; `expectedVersion` guards against lost updates.',
  })
  updateCaseFacts(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => UpdateCaseFactsInput) input: UpdateCaseFactsInput,
  ): Promise<CaseEntity> {
    return cases.updateCaseFacts(ctx, input);
  }

  @Mutation(() => Case, { description: 'Closes an open case, with a reason.' })
  closeCase(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CloseCaseInput) input: CloseCaseInput,
  ): Promise<CaseEntity> {
    return cases.closeCase(ctx, input);
  }

  @FieldResolver(() => DateTimeScalar, { description: 'When the case was opened.' })
  openedAt(@Root() c: CaseEntity): Date {
    return c.createdAt;
  }

  @FieldResolver(() => Office)
  async office(@Root() c: CaseEntity, @Ctx() ctx: RequestContext): Promise<OfficeEntity> {
    return required(await userLoaders(ctx).office.load(c.officeId));
  }

  @FieldResolver(() => User, { description: 'The officer responsible for the case.' })
  async assignedOfficer(@Root() c: CaseEntity, @Ctx() ctx: RequestContext): Promise<UserEntity> {
    return required(await userLoaders(ctx).user.load(c.assignedOfficerId));
  }

  @FieldResolver(() => User, { description: 'Who opened the case.' })
  async openedBy(@Root() c: CaseEntity, @Ctx() ctx: RequestContext): Promise<UserEntity> {
    return required(await userLoaders(ctx).user.load(c.openedById));
  }

  @FieldResolver(() => Subject, {
    description: 'The identity of the person. Each response showing it is audited.',
  })
  subject(@Root() c: CaseEntity, @Ctx() ctx: RequestContext): Subject {
    ctx.subjectReads.set(c.id, c.officeId);
    return {
      name: c.subjectName,
      dateOfBirth: c.subjectDateOfBirth,
      aNumber: formatANumber(c.subjectANumber),
      countryOfCitizenship: c.subjectCitizenship,
    };
  }

  @FieldResolver(() => CaseFacts)
  facts(@Root() c: CaseEntity): CaseFacts {
    return {
      caseId: c.id,
      terrorismOrEspionage: c.terrorismOrEspionage,
      borderApprehension: c.borderApprehensionDate
        ? { date: c.borderApprehensionDate, location: c.borderApprehensionLocation }
        : null,
      firstPresentOn: c.firstPresentOn,
      lastReleasedFromCustodyOn: c.lastReleasedFromCustodyOn,
      gangParticipation: gangParticipationOf(c),
      vulnerability: vulnerabilityOf(c),
    };
  }
}

@Resolver(() => CaseFacts)
export class CaseFactsResolver {
  @FieldResolver(() => [Conviction], {
    description: 'Convictions, oldest first; vacated ones included and marked.',
  })
  convictions(@Root() facts: CaseFacts, @Ctx() ctx: RequestContext): Promise<ConvictionEntity[]> {
    return caseLoaders(ctx).convictionsByCase.load(facts.caseId);
  }
}

export const CaseConnectionResolver = totalCountResolver(
  CaseConnection,
  'How many cases match the filter, across all pages.',
);
