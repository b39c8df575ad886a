/** Enhancements of the newsroom's people screens (the pages work without them). */
export {};
