// The chat index written beside each built site as chat-index.json, and read by the chatbot at
// runtime. The version changes whenever the shape or the text normalisation changes, so a worker
// never scores an index built by a different tokeniser.
export const chatIndexVersion = 1;

/** One section of one published page: what retrieval ranks and what an answer cites. */
export interface Passage {
  /** Short and stable within one index, like "p12": what a model cites. */
  id: string;
  /** The page title. */
  title: string;
  /** Path of the page on the practice's own site, like /appointments/. */
  url: string;
  /** The section heading inside the page, if any. */
  heading?: string;
  /** Plain text, sentences kept whole. */
  text: string;
}

/** What the "nothing found" reply offers: always the practice's own routes, and 111/999. */
export interface ChatContact {
  name: string;
  phone: string;
  /** The main surgery's address on one line. */
  address: string;
  /** The contact page: phones, addresses and opening hours. */
  url: string;
  onlineConsultation?: { label: string; url: string; hours: string };
}

/**
 * BM25F statistics, precomputed so a cold worker only parses JSON. Term frequencies are already
 * weighted (a title or heading word counts `weights.title` or `weights.heading` times), and the lengths are weighted the same.
 */
export interface ChatIndexStats {
  weights: { title: number; heading: number };
  avgLength: number;
  /** Weighted length of each passage, in passage order. */
  lengths: number[];
  /** For each term: flat pairs of [passage number, weighted frequency]. */
  postings: Record<string, number[]>;
}

export interface ChatIndex {
  version: typeof chatIndexVersion;
  practice: string;
  /** The content commit the index was built from, when known (the revision name depends on this file's hash). */
  revision?: string;
  passages: Passage[];
  contact: ChatContact;
  stats: ChatIndexStats;
}

/** Parses chat-index.json, refusing one built for another version of the format. */
export function parseChatIndex(json: string): ChatIndex {
  const index = JSON.parse(json) as ChatIndex;
  if (index?.version !== chatIndexVersion) throw new Error(`chat index version ${String(index?.version)} is not ${chatIndexVersion}`);
  return index;
}
