// Runtime schemas for every request's params, checked in main before any handler runs.
// Kept apart from ipc.ts so the preload and renderer do not bundle zod.
import { z } from 'zod';
import type { RequestMethod, RequestParams } from './ipc';

const noParams = z.object({}).strict();

export const requestSchemas: { [M in RequestMethod]: z.ZodType<RequestParams<M>> } = {
  'app.version': noParams,
  'app.platform': noParams,
  'app.dataDirectory': noParams,
};
