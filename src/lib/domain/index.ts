/** The program's rules as data: pure, shared by the browser, the server and the tests. */
export * from './catalogue';
export * from './certificate';
export * from './dates';
export * from './eligibility';
export * from './format';
export * from './hours';
export * from './ids';
export * from './policy';
export * from './policy-schema';
export * from './progress';
export * from './review';
export * from './schemas';
export * from './evidence-files';
export * from './submission';
export * from './actions';
