// The public open data of the transparency page (issue 12 item 4): one row per manifestação received in a
// year, with no personal data — no protocol, name, contact, text, attendant or exact date (months only).
// Suppression of rare combinations happens in api/transparency/suppress.ts before anything is published;
// the rows are read batch by batch in open-data-stream.ts.

/** One case as published (codes for kind/status/channel; catalogue and unit names as labels). */
export type OpenDataCase = {
  /** month of receipt, YYYY-MM (organisation timezone) */
  month: string;
  kind: string;
  topic: string | null;
  item: string | null;
  /** the first unit the case was forwarded to (its name), if any */
  unit: string | null;
  status: string;
  channel: string;
  /** month of the first conclusive answer, YYYY-MM */
  answerMonth: string | null;
  /**
   * calendar days from receipt to the first answer (complementation time excluded) in tenths of a day: the
   * published "Dias para Resolução" (÷10) and what the published medians are computed from (answer-time.ts)
   */
  answerTenths: number | null;
  /** whole calendar days the first answer came after its deadline (0 when on time) */
  daysLate: number | null;
  onTime: boolean | null;
  /** final rating 1–5 */
  rating: number | null;
  resolved: string | null;
};
