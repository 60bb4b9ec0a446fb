/**
 * Denials, checked the way the style asks: the one error's code (and field), nothing leaked, no
 * data, and the database exactly as it was (every table's fingerprint).
 */
import { fingerprint, type Client, type GraphQLResponse, type TestServer } from './server';

export type GraphQLError = NonNullable<GraphQLResponse['errors']>[number];

/** Runs `work` and checks that every table is exactly as it was before. */
export async function unchanged<T>(server: TestServer, work: () => Promise<T>): Promise<T> {
  const before = await fingerprint(server);
  const result = await work();
  expect(await fingerprint(server)).toEqual(before);
  return result;
}

/**
 * The one error of a refused request, checked for its code and (when given) its field; never a
 * stack trace or SQL in what the client sees, and no data for any field asked.
 */
export function expectError(res: GraphQLResponse, code: string, field?: string): GraphQLError {
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  const [error] = res.errors!;
  if (field !== undefined) expect(error.extensions?.field).toBe(field);
  expect(JSON.stringify(error)).not.toMatch(/stacktrace|SELECT |INSERT |UPDATE /i);
  expect(Object.values(res.data ?? {}).filter((v) => v !== null)).toEqual([]);
  return error;
}

/** Runs a call that must be refused with `code` (and `field`) and must change nothing: its error. */
export function refused(
  server: TestServer,
  run: () => Promise<GraphQLResponse>,
  code: string,
  field?: string,
): Promise<GraphQLError> {
  return unchanged(server, async () => expectError(await run(), code, field));
}

/** Sends `query` as `client`; it must be refused with `code` (and `field`) and change nothing. */
export function expectRefused(
  server: TestServer,
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  code: string,
  field?: string,
): Promise<GraphQLError> {
  return refused(server, () => client.request(query, variables), code, field);
}
