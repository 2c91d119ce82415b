// Derived from schemas/model.ts by `pd generate`. Do not edit: change the model and run it again.

/** Practice profile (practice.yml). */
export interface PracticeProfile {
  /** Practice name */
  name: string;
  /** Fictional practice: Demo and training sites only: every page then says the practice is not real */
  fictional: boolean;
  /** ODS code: From the NHS Organisation Data Service, like Y12345 */
  ods_code: string;
  /** Nation: Rules differ between England, Wales and Scotland */
  nation: 'england' | 'wales' | 'scotland';
  /** Web address of the site: The host name only, like riverside-surgery.nhs.uk */
  domain: string;
  /** Theme */
  theme: 'nhsuk';
  /** Introduction: One or two sentences for the home page */
  introduction: string;
  /** Premises: The main surgery first, then any branch surgeries */
  premises: Array<{
    /** Name: Like "Riverside Surgery" or "Hillside branch surgery" */
    name: string;
    /** Main or branch */
    kind: 'main' | 'branch';
    /** Address */
    address: {
      /** Address lines */
      lines: string[];
      /** Town or city */
      town: string;
      /** Postcode */
      postcode: string;
    };
    /** Phone */
    phone: string;
    /** Opening hours: When the doors are open */
    hours: {
      /** Monday: Leave empty if closed */
      monday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
      /** Tuesday: Leave empty if closed */
      tuesday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
      /** Wednesday: Leave empty if closed */
      wednesday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
      /** Thursday: Leave empty if closed */
      thursday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
      /** Friday: Leave empty if closed */
      friday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
      /** Saturday: Leave empty if closed */
      saturday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
      /** Sunday: Leave empty if closed */
      sunday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
    };
    /** Getting in: Step-free access, parking, hearing loop */
    access?: string;
  }>;
  /** Contact */
  contact: {
    /** Main phone number */
    phone: string;
    /** Email: Only if you answer email; not for urgent or clinical questions */
    email?: string;
    /** Accepts Relay UK calls: Deaf patients can call through Relay UK on 18001 */
    text_relay: boolean;
  };
  /** Reaching us in core hours: How patients reach the practice from 08:00 to 18:30, Monday to Friday, including when the doors are closed */
  core_hours: string;
  /** Bank holidays: What happens on bank holidays */
  bank_holidays: string;
  /** Planned closures */
  closures: Array<{
    /** Date */
    date: string;
    /** Reason: Like "Staff training" */
    reason: string;
    /** From */
    from?: string;
    /** Until */
    until?: string;
  }>;
  /** Out of hours: NHS 111 online or by phone, 999 in an emergency, and any local services */
  out_of_hours: string;
  /** Registering */
  registration: {
    /** How to register: No proof of address or ID is needed to register */
    how: string;
    /** Online registration address: https://gp-registration.nhs.uk/ followed by your ODS code */
    online_url: string;
  };
  /** Practice boundary */
  boundary: {
    /** Description: The area you serve, including the outer boundary for existing patients who move */
    description: string;
    /** Postcode districts: Like LS6 or LS16 */
    postcodes: string[];
    /** Map image: An image uploaded to the media library */
    map?: string;
    /** Map description: What the map shows, for people who cannot see it */
    map_description?: string;
  };
  /** Online services */
  online_services: Array<{
    /** Supplier */
    supplier: 'nhs-app' | 'nhs-website' | 'gp-registration' | 'nhs-111' | 'econsult' | 'accurx' | 'patchs' | 'systmonline' | 'patient-access' | 'app-store';
    /** What it is for */
    purpose: 'appointments' | 'prescriptions' | 'consultation' | 'registration' | 'records' | 'test-results' | 'fit-notes' | 'urgent-help' | 'profile' | 'app';
    /** Link text: Say where the link goes, like "Order a repeat prescription in the NHS App" */
    label: string;
    /** Web address: Only addresses of the supplier you chose are accepted */
    url: string;
  }>;
  /** Online consultation */
  online_consultation: {
    /** When it is open: Must cover core hours, 08:00 to 18:30 on weekdays */
    hours: {
      /** Monday: Leave empty if closed */
      monday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
      /** Tuesday: Leave empty if closed */
      tuesday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
      /** Wednesday: Leave empty if closed */
      wednesday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
      /** Thursday: Leave empty if closed */
      thursday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
      /** Friday: Leave empty if closed */
      friday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
      /** Saturday: Leave empty if closed */
      saturday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
      /** Sunday: Leave empty if closed */
      sunday: Array<{
        /** Opens: 24-hour clock, like 08:00 */
        opens: string;
        /** Closes: 24-hour clock, like 18:30 */
        closes: string;
      }>;
    };
    /** Urgent problems warning: Tell patients not to use it for urgent problems and to call 999 or 111 instead */
    urgent_warning: string;
  };
  /** Home visits: Who can have one and how to ask */
  home_visits: string;
  /** Integrated care board */
  icb: {
    /** Name */
    name: string;
    /** Phone */
    phone: string;
    /** Email */
    email?: string;
    /** Website */
    website: string;
    /** Postal address */
    address?: string;
  };
  /** Care Quality Commission */
  cqc: {
    /** Rating */
    rating: 'outstanding' | 'good' | 'requires-improvement' | 'inadequate' | 'not-yet-rated' | 'not-applicable';
    /** Report address */
    report_url?: string;
    /** Report published */
    report_date?: string;
  };
  /** Named accountable GP statement: Every patient has a named GP responsible for their care, and can say which practitioner they prefer */
  accountable_gp: string;
  /** Who runs the practice: The partners, or the company name and registered number */
  ownership: string;
  /** Training practice */
  training_practice: boolean;
  /** Dispensing */
  dispensing: {
    /** Dispensing practice */
    dispensing: boolean;
    /** Dispensing arrangements: Required for a dispensing practice: who can use the dispensary and how */
    arrangements?: string;
  };
  /** Friends and Family Test */
  friends_and_family: {
    /** How to take part */
    how_to_take_part: string;
    /** Results */
    results: Array<{
      /** Month: Like 2026-10 */
      month: string;
      /** Responses */
      responses: number;
      /** Good or very good (%) */
      positive_percent: number;
    }>;
  };
  /** GP earnings */
  gp_earnings: {
    /** Financial year: Like 2025/26 */
    year: string;
    /** Average pay for GPs working in the practice: Pounds, no £ sign */
    mean_net: number;
    /** Full-time GPs */
    full_time?: number;
    /** Part-time GPs */
    part_time?: number;
    /** Statement */
    statement?: string;
  };
  /** Practice leaflet */
  leaflet: {
    /** Last reviewed: Review at least every 12 months */
    last_reviewed: string;
  };
  /** NHS website profile */
  nhs_profile: {
    /** Profile address */
    url: string;
    /** Last checked against this site */
    last_reviewed: string;
  };
  /** "You and your general practice" link: NHS England's patient charter */
  patient_charter_url: string;
  /** National data opt-out */
  data_opt_out: string;
  /** Information in other formats: How to ask for large print, easy read, braille, audio or an interpreter */
  alternative_formats: string;
  /** Self-care and pharmacy: Pharmacy First, self-referral services and self-care advice */
  self_care?: string;
  /** Publishing settings */
  settings?: {
    /** Non-clinical changes go live without review */
    publish_without_review: boolean;
    /** Block changes that break a legal requirement: When on, a change that makes a "must" item of the compliance check fail is refused; fixes are always allowed */
    compliance_blocks_publishing: boolean;
    /** HSTS preload: Turn off only if the practice does not control every sub-domain of its site address */
    hsts_preload: boolean;
  };
}

/** One entry of "Pages" (pages/*.md). */
export interface Page {
  /** Title */
  title: string;
  /** Summary: One or two sentences shown in lists and search results */
  summary: string;
  /** Top task: The home-page task this page answers, if any */
  task?: 'appointments' | 'prescriptions' | 'registration' | 'contact' | 'test-results' | 'fit-notes' | 'urgent-help';
  /** Clinical content: Clinical content must be approved by a clinical reviewer before it goes live */
  clinical: boolean;
  /** Last reviewed: When someone last checked this page was right */
  last_reviewed: string;
  /** Review by: When it must next be checked; at most 12 months after the last review */
  review_by: string;
  /** Publish at: Leave empty to publish at once. Otherwise UK time, like 2027-01-04T09:00: until then it is not on the site, its lists, the sitemap or the chatbot */
  publish_at?: string;
  /** Remove at: Leave empty to keep it. Otherwise UK time, like 2027-03-31T17:00: it leaves the site at that moment, and links to it from other pages become plain text */
  expires?: string;
  /** Navigation */
  nav?: {
    /** Where it appears */
    place: 'main' | 'footer' | 'none';
    /** Order: Lower numbers come first */
    order?: number;
  };
  /** The Markdown body. */
  body: string;
}

/** One entry of "Services and clinics" (services/*.md). */
export interface Service {
  /** Title */
  title: string;
  /** Summary: One or two sentences shown in lists and search results */
  summary: string;
  /** Kind */
  kind: 'service' | 'clinic';
  /** When: Like "Tuesday mornings" */
  when?: string;
  /** Where: Which premises */
  where?: string;
  /** How to book */
  how_to_book?: string;
  /** Clinical content: Clinical content must be approved by a clinical reviewer before it goes live */
  clinical: boolean;
  /** Last reviewed: When someone last checked this page was right */
  last_reviewed: string;
  /** Review by: When it must next be checked; at most 12 months after the last review */
  review_by: string;
  /** Publish at: Leave empty to publish at once. Otherwise UK time, like 2027-01-04T09:00: until then it is not on the site, its lists, the sitemap or the chatbot */
  publish_at?: string;
  /** Remove at: Leave empty to keep it. Otherwise UK time, like 2027-03-31T17:00: it leaves the site at that moment, and links to it from other pages become plain text */
  expires?: string;
  /** The Markdown body. */
  body: string;
}

/** One entry of "News" (news/*.md). */
export interface NewsPost {
  /** Title */
  title: string;
  /** Date */
  date: string;
  /** Summary: One or two sentences shown in lists and search results */
  summary: string;
  /** Clinical content: Clinical content must be approved by a clinical reviewer before it goes live */
  clinical: boolean;
  /** Publish at: Leave empty to publish at once. Otherwise UK time, like 2027-01-04T09:00: until then it is not on the site, its lists, the sitemap or the chatbot */
  publish_at?: string;
  /** Remove at: Leave empty to keep it. Otherwise UK time, like 2027-03-31T17:00: it leaves the site at that moment, and links to it from other pages become plain text */
  expires?: string;
  /** The Markdown body. */
  body: string;
}

/** One entry of "Team" (team/*.md). */
export interface TeamMember {
  /** Full name */
  name: string;
  /** Role */
  role: 'gp-partner' | 'salaried-gp' | 'gp-registrar' | 'advanced-nurse-practitioner' | 'practice-nurse' | 'healthcare-assistant' | 'pharmacist' | 'physician-associate' | 'practice-manager' | 'dispenser' | 'reception' | 'other';
  /** Job title: If it says more than the role */
  job_title?: string;
  /** Qualifications: Like MBChB, MRCGP, DRCOG */
  qualifications: string[];
  /** Professional registration: Like "GMC 1234567" */
  registration?: string;
  /** Gender: Shown so patients can choose */
  gender?: 'female' | 'male';
  /** Order: Lower numbers come first */
  order: number;
  /** The Markdown body. */
  body: string;
}

/** One entry of "Notices" (notices/*.md). */
export interface Notice {
  /** Title */
  title: string;
  /** Importance */
  severity: 'info' | 'warning' | 'urgent';
  /** Show from */
  starts: string;
  /** Remove at: Every notice must end; post a new one if it still applies */
  expires: string;
  /** Where it shows */
  placement: 'home' | 'all';
  /** Clinical content: Clinical content must be approved by a clinical reviewer before it goes live */
  clinical: boolean;
  /** The Markdown body. */
  body: string;
}

/** Privacy notice (policies/privacy.md). */
export interface Policy {
  /** Title */
  title: string;
  /** Summary: One or two sentences shown in lists and search results */
  summary: string;
  /** Last reviewed: When someone last checked this page was right */
  last_reviewed: string;
  /** Review by: When it must next be checked; at most 12 months after the last review */
  review_by: string;
  /** The Markdown body. */
  body: string;
}

/** Accessibility statement (policies/accessibility.md). */
export interface AccessibilityStatement {
  /** Title */
  title: string;
  /** Last reviewed: When someone last checked this page was right */
  last_reviewed: string;
  /** Review by: When it must next be checked; at most 12 months after the last review */
  review_by: string;
  /** Statement prepared */
  prepared: string;
  /** Which website this covers */
  scope: string;
  /** How accessible the site is */
  how_accessible: string;
  /** Feedback and contact */
  feedback: {
    /** Phone */
    phone: string;
    /** Email */
    email?: string;
    /** Working days to reply */
    response_days: number;
  };
  /** Phone and visit support: BSL interpreters, hearing loops, Relay UK */
  visiting: string;
  /** Compliance status */
  compliance: 'full' | 'partial' | 'none';
  /** Content that is not accessible */
  non_accessible: Array<{
    /** Problem */
    problem: string;
    /** WCAG success criteria */
    criteria: string[];
    /** To be fixed by */
    fix_by?: string;
  }>;
  /** Disproportionate burden: Only after a documented disproportionate burden assessment */
  disproportionate_burden: Array<{
    /** What is not accessible, and why fixing it now would be a disproportionate burden */
    problem: string;
    /** Next assessment: When you will assess it again, like when the supplier contract ends */
    reassess_by?: string;
  }>;
  /** Content not within the scope of the accessibility regulations */
  out_of_scope: string[];
  /** What we are doing to improve */
  improvements: string;
  /** How the site was tested */
  tested: string;
  /** The Markdown body. */
  body: string;
}
