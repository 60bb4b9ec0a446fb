/** `schema:emit` writes schema/schema.graphql from the code; `schema:check` fails if it differs. */
import fs from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { buildBareSchema } from '../server/schema';

export async function printCurrentSchema(): Promise<string> {
  return `# Generated from the code by \`npm run schema:emit\`. Do not edit.\n\n${printSchema(await buildBareSchema())}\n`;
}

async function main(): Promise<number> {
  const file = path.resolve(process.cwd(), 'schema/schema.graphql');
  const current = await printCurrentSchema();
  if (process.argv[2] === 'check') {
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (committed !== current) {
      console.error('schema/schema.graphql is out of date: run npm run schema:emit and commit it.');
      return 1;
    }
    console.log('schema/schema.graphql matches the code.');
    return 0;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, current);
  console.log(`Wrote ${path.relative(process.cwd(), file)}.`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
