/** Exports of the API description (OpenAPI). */
export { jsonSchemas, openApiDocument } from './openapi.ts';
