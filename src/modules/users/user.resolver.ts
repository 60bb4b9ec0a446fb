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
  @Query(() => User, { description: 'The signed-in user.' })
  me(@Ctx() ctx: RequestContext): Promise<UserEntity> {
    return users.me(ctx);
  }

  @Query(() => ServerTime, {
    description:
      "The service's time and whether it runs on a demo clock: dates and instants that must not be in the future are compared with it.",
  })
  serverTime(@Ctx() ctx: RequestContext): ServerTime {
    return { now: ctx.clock.now(), demoClock: ctx.clock.demo === true };
  }

  @Query(() => [Office], { description: 'Every field office, by code.' })
  offices(@Ctx() ctx: RequestContext): Promise<OfficeEntity[]> {
    return users.listOffices(ctx);
  }

  @Mutation(() => Office, { description: 'Headquarters: opens a new field office.' })
  createOffice(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CreateOfficeInput) input: CreateOfficeInput,
  ): Promise<OfficeEntity> {
    return users.createOffice(ctx, input);
  }

  @Mutation(() => User, {
    description: 'Headquarters: adds a user to an office (or to headquarters).',
  })
  createUser(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CreateUserInput) input: CreateUserInput,
  ): Promise<UserEntity> {
    return users.createUser(ctx, input);
  }

  @Mutation(() => User, {
    description: 'Headquarters: stops a user from signing in, effective at once.',
  })
  deactivateUser(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => DeactivateUserInput) input: DeactivateUserInput,
  ): Promise<UserEntity> {
    return users.deactivateUser(ctx, input);
  }

  @FieldResolver(() => Office, {
    nullable: true,
    description: 'The field office; null for headquarters.',
  })
  async office(@Root() user: UserEntity, @Ctx() ctx: RequestContext): Promise<OfficeEntity | null> {
    return user.officeId ? ((await userLoaders(ctx).office.load(user.officeId)) ?? null) : null;
  }
}
