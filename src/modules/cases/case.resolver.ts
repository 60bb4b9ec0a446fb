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
import { readVisible } from '../../common/access';
import { userLoaders } from '../users/user.loaders';

@ArgsType()
class CasesArgs extends PageArgs {
  @Field(() => CaseFilter, {
    nullable: true,
    description: 'Narrows the list; every condition given must hold.',
  })
  filter?: CaseFilter | null;
}

@Resolver(() => Case)
export class CaseResolver {
  @Query(() => Case, {
    description:
      "One case: officers and supervisors of its office, headquarters any. NOT_FOUND: no such case, or another office's.",
  })
  case(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The case's id." }) id: string,
  ): Promise<CaseEntity> {
    return readVisible(ctx, caseLoaders(ctx).case, 'Case', id);
  }

  @Query(() => CaseConnection, {
    description:
      'Cases of your office (headquarters: every office), the most recently opened first, a page at a time. BAD_USER_INPUT: `first` out of range, a cursor not from this list; NOT_FOUND: `filter.officeCode` of another office.',
  })
  async cases(
    @Ctx() ctx: RequestContext,
    @Args(() => CasesArgs) args: CasesArgs,
  ): Promise<unknown> {
    return toConnection(await listCases(ctx, args), caseCursor);
  }

  @Mutation(() => Case, {
    description:
      "Officers and supervisors (headquarters: FORBIDDEN): opens a case in your office with the subject and the facts known so far, assigned to you unless `assignedOfficerId` says otherwise; it starts OPEN at version 1, unassessed. BAD_USER_INPUT names the field: a malformed A-number or country, a date in the future (office's time zone) or before the date of birth, an aggravated felony without its subparagraph.",
  })
  openCase(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => OpenCaseInput, {
      description: 'The subject, the facts known so far, and convictions.',
    })
    input: OpenCaseInput,
  ): Promise<CaseEntity> {
    return cases.openCase(ctx, input);
  }

  @Mutation(() => Case, {
    description:
      "Officers and supervisors of the case's office: changes the facts of an open case, adds, vacates or removes convictions, and raises its `version` by one. Does not re-assess: run `assessCase` for a new outcome. NOT_FOUND: not a case of your office; CONFLICT: closed, or `expectedVersion` stale; BAD_USER_INPUT: a date in the future or before the date of birth, a conviction not of this case, a change that changes nothing.",
  })
  updateCaseFacts(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => UpdateCaseFactsInput, {
      description: 'The case, the `version` you read, and what changes.',
    })
    input: UpdateCaseFactsInput,
  ): Promise<CaseEntity> {
    return cases.updateCaseFacts(ctx, input);
  }

  @Mutation(() => Case, {
    description:
      "Officers and supervisors of the case's office: closes an open case, with a reason, for good: its facts no longer change, and no assessment, request or action can be added. NOT_FOUND: not a case of your office; CONFLICT: already closed, or `expectedVersion` stale.",
  })
  closeCase(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CloseCaseInput, { description: 'The case, and why it is closed.' })
    input: CloseCaseInput,
  ): Promise<CaseEntity> {
    return cases.closeCase(ctx, input);
  }

  @FieldResolver(() => DateTimeScalar, { description: 'When the case was opened.' })
  openedAt(@Root() c: CaseEntity): Date {
    return c.createdAt;
  }

  @FieldResolver(() => Office, { description: 'The field office the case belongs to.' })
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
    description:
      'The identity of the person. Personal data: each response showing it leaves one audit record (READ) naming the cases it showed.',
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

  @FieldResolver(() => CaseFacts, {
    description: 'The facts the policy engine reads, as they are now (no subject identity).',
  })
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
  'How many cases match the filter, across all pages (counted only when asked for).',
);
