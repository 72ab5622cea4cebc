// Temporal failure converter (issue 7): error messages and stack traces travel as an encoded payload, so
// the payload codec (config/payload-codec.ts) encrypts them like any other payload: an SMTP error naming a
// citizen's address, or a validator message quoting input, never reaches Temporal in plain text.
// Plain CommonJS because the SDK loads it by path twice: require() in the client and the worker, and
// webpack into the workflow bundle (DataConverter.failureConverterPath; bundleWorkflowCode).
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
