/** The demo users as signed-in clients, by the role each plays in the stories the tests tell. */
import {
  HQ,
  OFFICER2_NYC,
  OFFICER_LAX,
  OFFICER_NYC,
  SUPERVISOR2_NYC,
  SUPERVISOR_LAX,
  SUPERVISOR_NYC,
  type Client,
  type TestServer,
} from './server';

export interface RoleClients {
  /** An officer of NYC. */
  officer: Client;
  /** A second officer of NYC. */
  officer2: Client;
  /** A supervisor of NYC. */
  supervisor: Client;
  /** A second supervisor of NYC. */
  supervisor2: Client;
  officerLax: Client;
  supervisorLax: Client;
  /** Headquarters: every office. */
  hq: Client;
}

/** Signs in every demo role (no database write: a token each). */
export async function roleClients(server: TestServer): Promise<RoleClients> {
  const [officer, officer2, supervisor, supervisor2, officerLax, supervisorLax, hq] =
    await Promise.all(
      [
        OFFICER_NYC,
        OFFICER2_NYC,
        SUPERVISOR_NYC,
        SUPERVISOR2_NYC,
        OFFICER_LAX,
        SUPERVISOR_LAX,
        HQ,
      ].map((email) => server.as(email)),
    );
  return { officer, officer2, supervisor, supervisor2, officerLax, supervisorLax, hq };
}
