import type { uploadsTable } from "./tables";

export type MediaUpload = typeof uploadsTable.$inferSelect;
// export type NewMediaUpload = typeof uploadsTable.$inferInsert;
