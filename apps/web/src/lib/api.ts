/**
 * The refusals of the API, for screens that only report errors. Calls go through the typed
 * client (`./api/client.ts`), whose paths and answers come from the API's OpenAPI document.
 */
export { ApiError, messageOf, refusal, type FieldIssue } from './api/errors.js';
