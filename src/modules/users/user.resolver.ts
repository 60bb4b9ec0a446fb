import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context';
import { OfficeEntity } from './office.entity';
import { UserEntity } from './user.entity';
import { CreateOfficeInput, CreateUserInput, DeactivateUserInput } from './user.inputs';
import * as users from './user.service';
import { Office, ServerTime, User } from './user.types';
import { userLoaders } from './user.loaders';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, {
    description: 'The signed-in user. Anyone signed in; without a valid token: UNAUTHENTICATED.',
  })
  me(@Ctx() ctx: RequestContext): Promise<UserEntity> {
    return users.me(ctx);
  }

  @Query(() => ServerTime, {
    description:
      "The service's time and whether it runs on a demo clock: dates and instants that must not be in the future are compared with it. Anyone signed in.",
  })
  serverTime(@Ctx() ctx: RequestContext): ServerTime {
    return { now: ctx.clock.now(), demoClock: ctx.clock.demo === true };
  }

  @Query(() => [Office], {
    description: 'Every field office, ordered by code. Anyone signed in.',
  })
  offices(@Ctx() ctx: RequestContext): Promise<OfficeEntity[]> {
    return users.listOffices(ctx);
  }

  @Mutation(() => Office, {
    description:
      'Headquarters only (others: FORBIDDEN): opens a new field office. BAD_USER_INPUT: a code taken or malformed, a time zone IANA does not know.',
  })
  createOffice(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CreateOfficeInput, {
      description: 'The new office: code, name and time zone.',
    })
    input: CreateOfficeInput,
  ): Promise<OfficeEntity> {
    return users.createOffice(ctx, input);
  }

  @Mutation(() => User, {
    description:
      'Headquarters only (others: FORBIDDEN): adds an active user to an office (or to headquarters). BAD_USER_INPUT: an email already taken, an unknown office code, an office given for headquarters or missing for anyone else.',
  })
  createUser(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CreateUserInput, {
      description: 'The new user: email, name, role and (except for headquarters) office.',
    })
    input: CreateUserInput,
  ): Promise<UserEntity> {
    return users.createUser(ctx, input);
  }

  @Mutation(() => User, {
    description:
      'Headquarters only (others: FORBIDDEN; yourself: FORBIDDEN): stops a user from signing in: every token of theirs is refused (UNAUTHENTICATED) at once, or within CALLER_CACHE_MS (default 2 s) on other service processes. NOT_FOUND: no such user; CONFLICT: already deactivated.',
  })
  deactivateUser(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => DeactivateUserInput, { description: 'The user to deactivate, and why.' })
    input: DeactivateUserInput,
  ): Promise<UserEntity> {
    return users.deactivateUser(ctx, input);
  }

  @FieldResolver(() => Office, {
    nullable: true,
    description: "The user's field office; null for headquarters staff.",
  })
  async office(@Root() user: UserEntity, @Ctx() ctx: RequestContext): Promise<OfficeEntity | null> {
    return user.officeId ? ((await userLoaders(ctx).office.load(user.officeId)) ?? null) : null;
  }
}
