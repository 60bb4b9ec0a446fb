import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The service's rights, separate from the owner's (who runs migrations). `ep_service` is a NOLOGIN
 * group role; a deployment creates its service login in it (`CREATE ROLE ep_app LOGIN PASSWORD ...
 * IN ROLE ep_service`). It reads and writes the tables but owns none: it cannot ALTER, TRUNCATE or
 * disable the triggers of any of them; on `audit_log` it may only INSERT and SELECT, and the chain
 * head (`audit_chain_head`) may only move forward. Default privileges give it the same rights on
 * tables and sequences later migrations create (revoke what a new append-only table must not allow).
 *
 * Roles are cluster-wide: the role is created only if missing, and a concurrent creation by a
 * migration of another database on the same cluster is tolerated. `down` leaves the role (other
 * databases may use it) and takes back its privileges here.
 */
export class CreateServiceRole1795980000001 implements MigrationInterface {
  name = 'CreateServiceRole1795980000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ep_service') THEN
          BEGIN
            CREATE ROLE ep_service NOLOGIN;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created by another database's migration at the same moment
          END;
        END IF;
      END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO ep_service`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ep_service`,
    );
    await queryRunner.query(`REVOKE UPDATE, DELETE ON "audit_log" FROM ep_service`);
    await queryRunner.query(`REVOKE INSERT, DELETE ON "audit_chain_head" FROM ep_service`);
    await queryRunner.query(`REVOKE INSERT, UPDATE, DELETE ON "migrations" FROM ep_service`);
    await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ep_service`);
    await queryRunner.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ep_service`);
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ep_service`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ep_service`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO ep_service`,
    );
    // The service must advance the head, but nothing may move it back (only the owner, who can
    // disable this trigger, could; the signed checkpoints outside the database catch that).
    await queryRunner.query(`CREATE FUNCTION "audit_chain_head_forward_only"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' OR NEW.id <> OLD.id OR NEW.last_seq <= OLD.last_seq THEN
          RAISE EXCEPTION 'audit_chain_head only moves forward' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "audit_chain_head_forward_only" BEFORE UPDATE OR DELETE ON "audit_chain_head" FOR EACH ROW EXECUTE FUNCTION "audit_chain_head_forward_only"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "audit_chain_head_forward_only" ON "audit_chain_head"`);
    await queryRunner.query(`DROP FUNCTION "audit_chain_head_forward_only"()`);
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS FROM ep_service`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM ep_service`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM ep_service`,
    );
    await queryRunner.query(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM ep_service`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ep_service`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ep_service`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM ep_service`);
  }
}
