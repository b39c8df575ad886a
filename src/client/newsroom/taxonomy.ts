/** Enhancements of the newsroom's taxonomy screens (the pages work without them). */
export {};
