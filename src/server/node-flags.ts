/**
 * The flags Node runs the service with: `npm start` passes them (package.json, kept equal by
 * test/unit/node-flags.test.ts) and so does the API benchmark, which starts the service as
 * production runs it. A container that starts `dist/src/main.js` itself should pass them too (or
 * set `NODE_OPTIONS`, which accepts them).
 *
 * `--max-semi-space-size=32`: the young generation's halves may grow to 32 MB (Node 20's default
 * stops at 16). Each request allocates a few MB of short-lived rows and answer objects; with the
 * bigger halves fewer of them survive into a collection, and a 50-case page costs about 15% less
 * CPU (docs/benchmarks.md, "The read path"). It costs at most 48 MB more memory.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
