import { z } from 'zod';

export const idParams = z.strictObject({ id: z.string().min(1).max(64) });

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};
