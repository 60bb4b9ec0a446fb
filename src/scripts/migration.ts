/**
 * Migrations without a database to install:
 *   run | revert          against the configured database (DATABASE_URL, or the embedded one)
 *   check                 fails when the entities need a migration that does not exist
 *   generate <VerbNoun>   writes migrations/<timestamp>-<VerbNoun>.ts with what the entities need
 * `check` and `generate` diff the entities against a throwaway in-memory PostgreSQL built by the
 * existing migrations, so they need nothing running.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { startEmbedded } from '../db/embedded';
import { openDatabase } from '../db/open';

async function pendingSchemaChanges() {
  const db = await startEmbedded(undefined);
  const ds = createDataSource({ url: db.url, poolSize: 1 });
  try {
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    return await ds.driver.createSchemaBuilder().log();
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await db.stop();
  }
}

/** Adds the new migration class to the explicit list in migrations/index.ts. */
function registerMigration(indexFile: string, fileName: string, className: string): void {
  const text = fs.readFileSync(indexFile, 'utf8');
  const match = /export const MIGRATIONS = \[([\s\S]*?)\];/.exec(text);
  if (!match) throw new Error(`${indexFile} has no MIGRATIONS list`);
  const names = match[1]
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const list = `export const MIGRATIONS = [\n${[...names, className].map((n) => `  ${n},`).join('\n')}\n];`;
  const withImport = text.replace(
    /\nexport const MIGRATIONS/,
    `import { ${className} } from './${fileName}';\n\nexport const MIGRATIONS`,
  );
  fs.writeFileSync(indexFile, withImport.replace(/export const MIGRATIONS = \[[\s\S]*?\];/, list));
}

const q = (s: string) =>
  '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';

async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  switch (command) {
    case 'run':
    case 'revert': {
      const db = await openDatabase(loadConfig(), { share: true, owner: true });
      try {
        if (command === 'run') {
          const ran = await db.dataSource.runMigrations({ transaction: 'each' });
          console.log(
            ran.length ? `Applied: ${ran.map((m) => m.name).join(', ')}` : 'No pending migration.',
          );
        } else {
          await db.dataSource.undoLastMigration({ transaction: 'each' });
          console.log('Reverted the last migration.');
        }
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'check': {
      const log = await pendingSchemaChanges();
      if (log.upQueries.length === 0) {
        console.log('Migrations match the entities.');
        return 0;
      }
      console.error(
        'The entities need a migration that does not exist (npm run migration:generate -- <VerbNoun>):',
      );
      for (const query of log.upQueries) console.error(`  ${query.query}`);
      return 1;
    }
    case 'generate': {
      if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
        console.error('Usage: npm run migration:generate -- <VerbNoun>   (e.g. AddCaseNotes)');
        return 2;
      }
      const log = await pendingSchemaChanges();
      if (log.upQueries.length === 0) {
        console.log('Nothing to generate: migrations match the entities.');
        return 0;
      }
      const stamp = Date.now();
      const className = `${name}${stamp}`;
      const up = log.upQueries.map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
      const down = log.downQueries
        .reverse()
        .map((x) => `    await queryRunner.query(${q(x.query)});`)
        .join('\n');
      const dir = path.resolve(__dirname, '../../../migrations');
      const migrationsDir = fs.existsSync(path.join(dir, 'index.ts'))
        ? dir
        : path.resolve(__dirname, '../../migrations');
      const file = path.join(migrationsDir, `${stamp}-${name}.ts`);
      fs.writeFileSync(
        file,
        `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
      );
      registerMigration(path.join(migrationsDir, 'index.ts'), `${stamp}-${name}`, className);
      console.log(
        `Wrote ${path.relative(process.cwd(), file)} and listed ${className} in migrations/index.ts.`,
      );
      return 0;
    }
    default:
      console.error('Usage: migration (run | revert | check | generate <VerbNoun>)');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
