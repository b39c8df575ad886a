/** Enhancements of the newsroom's stories screens (the pages work without them). */
export {};
