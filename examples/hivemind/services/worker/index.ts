// A second service on the same schema package: the worker archives old drafts.
import { and, eq, lt } from 'drizzle-orm';
import { posts } from '@hivemind/schema';

export function staleDraftsFilter(before: Date) {
  return and(eq(posts.status, 'draft'), lt(posts.createdAt, before));
}
