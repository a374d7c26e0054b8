// The packages only the examples install (examples/*/package.json), typed `any` for the
// repository-wide type check (`tsc -p test/tsconfig.examples.json`), which runs before they are
// installed. typecheck.test.ts checks the examples against the real packages (test/examples/
// tsconfig.json, without this file) once the harness has installed them.
declare module 'express-rate-limit';
declare module 'jose';
declare module 'rate-limiter-flexible';
declare module 'ioredis';
