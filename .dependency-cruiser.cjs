/**
 * The layers of src/, checked in `npm run check` (README "Architecture"). Every arrow points down:
 *
 *   composition roots  src/main.ts, src/server/ (app, schema, executor, service start, HTTP),
 *                      src/scripts/, src/db/ (the entity list, the demo seed): may import anything
 *   modules            src/modules/<x>/: one domain each; import the kernel, the ground floor and
 *                      other modules (through their services, loaders and types), never a root
 *   kernel             src/common/: request context and transactions, errors, ids, pagination,
 *                      calendar, scalars, loaders and caches registries, deadline; names no module
 *   ground floor       src/config.ts, src/clock.ts, src/logger.ts, src/banner.ts, src/auth/:
 *                      import nothing above them, except the shield, which gates the schema
 *                      (src/auth/shield.ts is wiring and may read the kernel's context)
 *
 * Type-only imports count (`tsPreCompilationDeps`): a cycle through types is still a cycle a
 * reader has to untangle.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernel-names-no-module',
      severity: 'error',
      comment:
        'src/common is the kernel every module uses: it imports only itself and the ground floor.',
      from: { path: '^src/common/' },
      to: { path: '^(src/(modules|server|scripts|db)/|migrations/|src/main\\.ts)' },
    },
    {
      name: 'modules-import-no-root',
      severity: 'error',
      comment:
        'A module imports the kernel, the ground floor and other modules; the composition roots (server, scripts, db, main) import it, never the reverse.',
      from: { path: '^src/modules/' },
      to: { path: '^(src/(server|scripts|db)/|migrations/|src/main\\.ts)' },
    },
    {
      name: 'ground-floor-stays-down',
      severity: 'error',
      comment: 'config, clock, logger, banner and auth (but the shield) import nothing above them.',
      from: { path: '^src/(config|clock|logger|banner)\\.ts$|^src/auth/(?!shield\\.ts)' },
      to: { path: '^(src/(common|modules|server|scripts|db)/|migrations/|src/main\\.ts)' },
    },
    {
      name: 'only-roots-import-roots',
      severity: 'error',
      comment:
        'src/server and src/scripts are composition roots: only src/main.ts and the roots (src/db included) import them.',
      from: { path: '^src/', pathNot: '^src/(server|scripts|db)/|^src/main\\.ts' },
      to: { path: '^src/(server|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
