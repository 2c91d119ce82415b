// The loaded, checked content of one practice: what templates and checks work from.
import type {
  AccessibilityStatement,
  NewsPost,
  Notice,
  Page,
  PracticeProfile,
  Policy,
  Service,
  TeamMember,
} from '../../schemas/generated/types.ts';

export interface Entry<T> {
  /** Repository-relative path of the source file. */
  file: string;
  /** The file name without its extension. */
  slug: string;
  /** Where the entry is published on the practice site, if it is a page of its own. */
  url?: string;
  data: T;
  /** The body rendered to sanitised HTML. */
  html: string;
}

export type PolicyName = 'privacy' | 'complaints' | 'accessibility' | 'cookies' | 'zero-tolerance' | 'rights-and-responsibilities';

export interface Practice {
  slug: string;
  /** Repository-relative folder of the practice. */
  dir: string;
  profile: PracticeProfile;
  pages: Entry<Page>[];
  news: Entry<NewsPost>[];
  services: Entry<Service>[];
  team: Entry<TeamMember>[];
  notices: Entry<Notice>[];
  policies: Record<Exclude<PolicyName, 'accessibility'>, Entry<Policy>> & { accessibility: Entry<AccessibilityStatement> };
  /** Media files (paths relative to the practice folder, under media/). */
  media: string[];
}
