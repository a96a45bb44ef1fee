// A small service built on the shared schema: the API lists a user's published posts.
import { and, desc, eq } from 'drizzle-orm';
import { posts, users } from '@hivemind/schema';

export function publishedPostsQuery(username: string) {
  return {
    from: posts,
    join: users,
    where: and(eq(users.username, username), eq(posts.status, 'published')),
    orderBy: desc(posts.publishedAt),
  };
}
