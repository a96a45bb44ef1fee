export * from "./uploads/relations";
export * from "./uploads/tables";
export * from "./uploads/types";

export * from "./payments/relations";
export * from "./payments/tables";
export * from "./payments/types";

// relations
export * from "./users/relations";

// schema
export * from "./users/tables";
// types
export * from "./users/types";
