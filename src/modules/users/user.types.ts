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
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  id: string;

  @Field(() => String, {
    description:
      "Short code such as 'NYC', two to eight capital letters, unique: how filters, reports and figures name the office.",
  })
  code: string;

  @Field(() => String, { description: "Display name, e.g. 'New York Field Office'." })
  name: string;

  @Field(() => String, {
    description:
      "IANA time zone, e.g. 'America/New_York': the office's weeks (Monday 00:00 to Monday 00:00), report deadlines and \"today\" for its dates are counted in it.",
  })
  timeZone: string;
}

@ObjectType({
  description: 'A person who signs in: an officer, a supervisor, or headquarters staff.',
})
export class User {
  @Field(() => ID, { description: "Stable id (a UUID): a token's `sub`." })
  id: string;

  @Field(() => String, { description: 'Sign-in email address, stored lower-case; unique.' })
  email: string;

  @Field(() => String, { description: 'Full name, as shown to colleagues.' })
  name: string;

  @Field(() => Role, { description: 'What the user may do; see `Role`.' })
  role: Role;

  @Field(() => Boolean, { description: 'False once deactivated: the user can no longer sign in.' })
  active: boolean;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the user was deactivated; null while active.',
  })
  deactivatedAt: Date | null;

  // `office` is a field resolver (UserResolver): null for headquarters.
}
