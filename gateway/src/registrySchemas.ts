import { z } from 'zod';
import { MemberSchema } from './ledgerResponseSchemas';
import { named } from './schemaRegistry';

export const MemberListSchema = named('MemberList', z.object({ members: z.array(MemberSchema) }));
