import { z } from 'zod';
import { named } from './schemaRegistry';

/** A consortium member as the chaincode's registry returns it (documented, not re-validated). */
export const MemberSchema = named(
  'Member',
  z.looseObject({
    mspId: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
  }),
);

export const MemberListSchema = named('MemberList', z.object({ members: z.array(MemberSchema) }));
