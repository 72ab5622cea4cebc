// The worker's workflowsPath: the only barrel. Exports workflow functions only.
export { caseWorkflow } from './case.ts';
export { resendEmailWorkflow } from './resend-email.ts';
