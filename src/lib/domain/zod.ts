import { z } from 'zod';

// Zod compiles fast parsers with `new Function` where it may. In the browser the app's
// Content-Security-Policy forbids eval, and even zod's caught probe for it is reported as a policy
// violation, so parsing there is jitless. On the server the compiled parsers stay. Schemas read
// this setting when they are built: every module that builds one imports `z` from here.
if (typeof document !== 'undefined') z.config({ jitless: true });

export { z };
