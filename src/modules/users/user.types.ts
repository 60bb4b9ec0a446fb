import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../common/scalars';
import { Role } from '../../auth/role';

@ObjectType({
  description:
    'The service\'s clock, by which deadlines, weeks and "not in the future" are judged.',
})
export class ServerTime {
  @Field(() => DateTimeScalar, { description: "The service's time now (UTC)." })
  now: Date;

  @Field({
    description:
      'True when a demo clock is set (DEMO_CLOCK, development only): the service started at a chosen instant and runs on from it, so `now` is not the real time.',
  })
  demoClock: boolean;
}

@ObjectType({
  description: 'A field office. Its weeks and deadlines are counted in its time zone.',
})
export class Office {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: "Short code such as 'NYC'." })
  code: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: "IANA time zone, e.g. 'America/New_York'." })
  timeZone: string;
}

@ObjectType({
  description: 'A person who signs in: an officer, a supervisor, or headquarters staff.',
})
export class User {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  email: string;

  @Field(() => String)
  name: string;

  @Field(() => Role)
  role: Role;

  @Field(() => Boolean, { description: 'False once deactivated: the user can no longer sign in.' })
  active: boolean;

  @Field(() => DateTimeScalar, { nullable: true })
  deactivatedAt: Date | null;

  // `office` is a field resolver (UserResolver): null for headquarters.
}
