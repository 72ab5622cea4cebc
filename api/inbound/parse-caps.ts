// How much of an inbound message's text and HTML the parser keeps by default (INBOUND_TEXT_MAX_CHARS,
// INBOUND_HTML_MAX_CHARS). Its own module so the main thread reads it without loading the parser.
export const defaultParseCaps = { textChars: 200_000, htmlChars: 1_000_000 };
export type ParseCaps = typeof defaultParseCaps;
