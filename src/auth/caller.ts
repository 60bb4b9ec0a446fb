import { Role } from './role';

/** The signed-in user, as the database says now (not as the token says). */
export interface Caller {
  id: string;
  email: string;
  name: string;
  role: Role;
  officeId: string | null;
  officeCode: string | null;
}
