import { pgEnum } from 'drizzle-orm/pg-core';

export const userRole = pgEnum('user_role', ['member', 'moderator', 'admin']);
export const postStatus = pgEnum('post_status', ['draft', 'published', 'archived']);
