/**
 * The read path's plain rows (`src/common/lean.ts`) against TypeORM's entities: for every entity
 * with rows in the database, reading them lean gives the same properties with the same values as
 * hydrating them. Called at the end of test files that leave many kinds of records behind.
 */
import type { DataSource } from 'typeorm';
import { leanRows } from '../../src/common/lean';
import type { TestServer } from './server';

/** Compares every table's rows; returns the entities that had rows. */
export async function expectLeanRowsEqualEntities(db: DataSource): Promise<string[]> {
  const compared: string[] = [];
  for (const metadata of db.entityMetadatas) {
    const primary = metadata.primaryColumns.map((c) => c.propertyName);
    const order = Object.fromEntries(primary.map((p) => [p, 'ASC' as const]));
    const hydrated = await db.manager.getRepository(metadata.target).find({ order, take: 500 });
    if (hydrated.length === 0) continue;
    const lean = await leanRows(db.manager, metadata.target, () => 'true', [], {
      order: primary.map((p): [string, 'ASC'] => [p, 'ASC']),
    });
    // Relations are never loaded either way; a hydrated entity leaves them undefined.
    const plain = (row: object) =>
      Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
    expect(lean.slice(0, hydrated.length).map(plain)).toEqual(hydrated.map((e) => plain({ ...e })));
    compared.push(metadata.name);
  }
  return compared;
}

/** The test itself, for a file whose server leaves cases, assessments, requests and actions. */
export function testLeanRowsEqualEntities(server: () => TestServer): void {
  test('the read path reads plain rows equal to the entities, for every table with rows', async () => {
    const compared = await expectLeanRowsEqualEntities(server().admin);
    expect(compared).toEqual(
      expect.arrayContaining([
        'CaseEntity',
        'AssessmentEntity',
        'ApprovalRequestEntity',
        'EnforcementActionEntity',
      ]),
    );
  });
}
