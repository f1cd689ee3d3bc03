import { z } from 'zod';

export const Role = z.enum(['platform_admin', 'dba', 'support']);
export type Role = z.infer<typeof Role>;

/** Who is calling: resolved by the transport for each connection, handed to every service call. */
export interface Session {
  connectionId: string;
  operator: { name: string; email?: string };
  role: Role;
}
