/**
 * A mutation's reads see its writes (issue #12, item 5): loaders made for the mutation's
 * transaction read through it, and what they loaded is forgotten after each write, so a later root
 * field of the same operation, or a nested field of its answer, never shows a row as it was before.
 */
import { caseInput, OPEN_CASE } from '../helpers/given';
import { Client, OFFICER_NYC, startTestServer, TestServer } from '../helpers/server';

const T0 = new Date('2021-06-01T14:00:00.000Z');
const HOUR = 3_600_000;

let server: TestServer;
let officer: Client;

beforeAll(async () => {
  server = await startTestServer({ now: T0 });
  officer = await server.as(OFFICER_NYC);
});
afterAll(async () => {
  await server?.stop();
});

const ASSESS = `mutation Assess($input: AssessCaseInput!) { assessCase(input: $input) { id } }`;

/** An assessed presumed priority (border apprehension in 2020): actions need no approval. */
async function assessedCase(): Promise<string> {
  const { openCase } = await officer.ok<{ openCase: { id: string } }>(OPEN_CASE, {
    input: caseInput(),
  });
  await officer.ok(ASSESS, { input: { caseId: openCase.id } });
  return openCase.id;
}

const actionInput = (caseId: string, hoursAgo: number) => ({
  caseId,
  type: 'ARREST',
  occurredAt: new Date(T0.getTime() - hoursAgo * HOUR).toISOString(),
  location: 'Queens, NY',
});

interface Recorded {
  id: string;
  case: { enforcementActions: { id: string }[] };
}

test("a mutation's answer shows what it wrote", async () => {
  const caseId = await assessedCase();
  const { record } = await officer.ok<{ record: Recorded }>(
    `mutation R($a: RecordEnforcementActionInput!) {
      record: recordEnforcementAction(input: $a) { id case { enforcementActions { id } } }
    }`,
    { a: actionInput(caseId, 2) },
  );
  expect(record.case.enforcementActions.map((a) => a.id)).toEqual([record.id]);
});

test('a later root field of the same mutation reads the rows an earlier one loaded, as written since', async () => {
  const caseId = await assessedCase();
  // Root fields of a mutation run one after the other: `first` loads the case's actions, then
  // `second` records another and reads the same list again within the same transaction.
  const data = await officer.ok<{ first: Recorded; second: Recorded }>(
    `mutation R($a: RecordEnforcementActionInput!, $b: RecordEnforcementActionInput!) {
      first: recordEnforcementAction(input: $a) { id case { enforcementActions { id } } }
      second: recordEnforcementAction(input: $b) { id case { enforcementActions { id } } }
    }`,
    { a: actionInput(caseId, 3), b: actionInput(caseId, 2) },
  );
  expect(data.first.case.enforcementActions.map((a) => a.id)).toEqual([data.first.id]);
  // Newest first.
  expect(data.second.case.enforcementActions.map((a) => a.id)).toEqual([
    data.second.id,
    data.first.id,
  ]);
});
