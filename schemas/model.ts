// The content model: every file under content/practices/<slug>/ is one of these. This is the one
// source of truth; run `pd generate` after changing it to refresh the derived files.
import {
  boolean,
  date,
  datetime,
  list,
  markdown,
  number,
  object,
  optional,
  options,
  select,
  text,
  type Collection,
  type FileCollection,
  type FolderCollection,
  type SingleFile,
} from './dsl.ts';
import {
  address,
  body,
  clinicalFlag,
  money,
  navigation,
  qualification,
  reviewDates,
  lifecycle,
  summary,
  supplierLink,
  topTasks,
  weeklyHours,
} from './fields.ts';

export const nations = options({ england: 'England', wales: 'Wales', scotland: 'Scotland' });

const premises = object('Premises', {
  name: text('Name', { hint: 'Like "Riverside Surgery" or "Hillside branch surgery"' }),
  kind: select('Main or branch', options({ main: 'Main surgery', branch: 'Branch surgery' })),
  address,
  phone: text('Phone', { format: 'uk-phone' }),
  hours: weeklyHours('Opening hours', 'When the doors are open'),
  access: optional(text('Getting in', { multiline: true, hint: 'Step-free access, parking, hearing loop', maxLength: 400 })),
});

export const practiceProfile: SingleFile = {
  name: 'profile',
  typeName: 'PracticeProfile',
  label: 'Practice profile',
  file: 'practice.yml',
  url: '/contact/',
  fields: {
    name: text('Practice name', { maxLength: 80 }),
    fictional: boolean('Fictional practice', {
      default: false,
      hint: 'Demo and training sites only: every page then says the practice is not real',
    }),
    ods_code: text('ODS code', { format: 'ods', hint: 'From the NHS Organisation Data Service, like Y12345' }),
    nation: select('Nation', nations, { hint: 'Rules differ between England, Wales and Scotland' }),
    domain: text('Web address of the site', {
      hint: 'The host name only, like riverside-surgery.nhs.uk',
      maxLength: 253,
    }),
    theme: select('Theme', options({ nhsuk: 'NHS.UK' }), { default: 'nhsuk' }),
    introduction: text('Introduction', { multiline: true, maxLength: 400, hint: 'One or two sentences for the home page' }),
    premises: list('Premises', premises, { min: 1, hint: 'The main surgery first, then any branch surgeries' }),
    contact: object('Contact', {
      phone: text('Main phone number', { format: 'uk-phone' }),
      email: optional(text('Email', { format: 'email', hint: 'Only if you answer email; not for urgent or clinical questions' })),
      text_relay: boolean('Accepts Relay UK calls', { default: true, hint: 'Deaf patients can call through Relay UK on 18001' }),
    }),
    core_hours: markdown('Reaching us in core hours', {
      hint: 'How patients reach the practice from 08:00 to 18:30, Monday to Friday, including when the doors are closed',
    }),
    bank_holidays: text('Bank holidays', { multiline: true, maxLength: 300, hint: 'What happens on bank holidays' }),
    closures: list(
      'Planned closures',
      object('Closure', {
        date: date('Date'),
        reason: text('Reason', { maxLength: 120, hint: 'Like "Staff training"' }),
        from: optional(text('From', { format: 'time' })),
        until: optional(text('Until', { format: 'time' })),
      }),
      { optional: true },
    ),
    out_of_hours: markdown('Out of hours', { hint: 'NHS 111 online or by phone, 999 in an emergency, and any local services' }),
    registration: object('Registering', {
      how: markdown('How to register', { hint: 'No proof of address or ID is needed to register' }),
      online_url: text('Online registration address', { format: 'https-url', hint: 'https://gp-registration.nhs.uk/ followed by your ODS code' }),
    }),
    boundary: object('Practice boundary', {
      description: markdown('Description', { hint: 'The area you serve, including the outer boundary for existing patients who move' }),
      postcodes: list('Postcode districts', text('Postcode district', { maxLength: 8 }), { optional: true, hint: 'Like LS6 or LS16' }),
      map: optional(text('Map image', { hint: 'An image uploaded to the media library', maxLength: 200 })),
      map_description: optional(text('Map description', { multiline: true, maxLength: 300, hint: 'What the map shows, for people who cannot see it' })),
    }),
    online_services: list('Online services', supplierLink, { min: 1 }),
    online_consultation: object('Online consultation', {
      hours: weeklyHours('When it is open', 'Must cover core hours, 08:00 to 18:30 on weekdays'),
      urgent_warning: text('Urgent problems warning', {
        multiline: true,
        maxLength: 300,
        hint: 'Tell patients not to use it for urgent problems and to call 999 or 111 instead',
      }),
    }),
    home_visits: markdown('Home visits', { hint: 'Who can have one and how to ask' }),
    icb: object('Integrated care board', {
      name: text('Name'),
      phone: text('Phone', { format: 'uk-phone' }),
      email: optional(text('Email', { format: 'email' })),
      website: text('Website', { format: 'https-url' }),
      address: optional(text('Postal address', { multiline: true, maxLength: 300 })),
    }),
    cqc: object('Care Quality Commission', {
      rating: select(
        'Rating',
        options({
          outstanding: 'Outstanding',
          good: 'Good',
          'requires-improvement': 'Requires improvement',
          inadequate: 'Inadequate',
          'not-yet-rated': 'Not yet rated',
          'not-applicable': 'Not regulated by the CQC (Wales and Scotland)',
        }),
      ),
      report_url: optional(text('Report address', { format: 'https-url' })),
      report_date: optional(date('Report published')),
    }),
    accountable_gp: text('Named accountable GP statement', {
      multiline: true,
      maxLength: 600,
      hint: 'Every patient has a named GP responsible for their care, and can say which practitioner they prefer',
    }),
    ownership: text('Who runs the practice', {
      multiline: true,
      maxLength: 600,
      hint: 'The partners, or the company name and registered number',
    }),
    training_practice: boolean('Training practice', { default: false }),
    dispensing: object('Dispensing', {
      dispensing: boolean('Dispensing practice', { default: false }),
      arrangements: optional(markdown('Dispensing arrangements', { hint: 'Required for a dispensing practice: who can use the dispensary and how' })),
    }),
    friends_and_family: object('Friends and Family Test', {
      how_to_take_part: text('How to take part', { multiline: true, maxLength: 400 }),
      results: list(
        'Results',
        object('Month', {
          month: text('Month', { hint: 'Like 2026-10', maxLength: 7 }),
          responses: number('Responses', { integer: true, min: 0 }),
          positive_percent: number('Good or very good (%)', { min: 0, max: 100 }),
        }),
        { min: 1 },
      ),
    }),
    gp_earnings: object('GP earnings', {
      year: text('Financial year', { hint: 'Like 2025/26', maxLength: 7 }),
      mean_net: money('Average pay for GPs working in the practice'),
      full_time: optional(number('Full-time GPs', { integer: true, min: 0 })),
      part_time: optional(number('Part-time GPs', { integer: true, min: 0 })),
      statement: optional(text('Statement', { multiline: true, maxLength: 600 })),
    }),
    leaflet: object('Practice leaflet', {
      last_reviewed: date('Last reviewed', { hint: 'Review at least every 12 months' }),
    }),
    nhs_profile: object('NHS website profile', {
      url: text('Profile address', { format: 'https-url' }),
      last_reviewed: date('Last checked against this site'),
    }),
    patient_charter_url: text('"You and your general practice" link', {
      format: 'https-url',
      hint: "NHS England's patient charter",
    }),
    data_opt_out: text('National data opt-out', { multiline: true, maxLength: 400 }),
    alternative_formats: text('Information in other formats', {
      multiline: true,
      maxLength: 400,
      hint: 'How to ask for large print, easy read, braille, audio or an interpreter',
    }),
    self_care: optional(markdown('Self-care and pharmacy', { hint: 'Pharmacy First, self-referral services and self-care advice' })),
    settings: object(
      'Publishing settings',
      {
        publish_without_review: boolean('Non-clinical changes go live without review', { default: true }),
        compliance_blocks_publishing: boolean('Block changes that break a legal requirement', {
          default: false,
          hint: 'When on, a change that makes a "must" item of the compliance check fail is refused; fixes are always allowed',
        }),
        hsts_preload: boolean('HSTS preload', {
          default: true,
          hint: 'Turn off only if the practice does not control every sub-domain of its site address',
        }),
      },
      { optional: true },
    ),
  },
};

const pages: FolderCollection = {
  kind: 'folder',
  name: 'pages',
  typeName: 'Page',
  label: 'Pages',
  labelSingular: 'Page',
  description: 'Information pages: appointments, prescriptions, registering, test results and the rest.',
  folder: 'pages',
  url: '/{slug}/',
  fields: {
    title: text('Title', { maxLength: 90 }),
    summary,
    task: optional(select('Top task', topTasks, { hint: 'The home-page task this page answers, if any' })),
    clinical: clinicalFlag,
    ...reviewDates,
    ...lifecycle,
    nav: navigation,
  },
  body: body(),
};

const news: FolderCollection = {
  kind: 'folder',
  name: 'news',
  typeName: 'NewsPost',
  label: 'News',
  labelSingular: 'News post',
  description: 'Practice news, newest first.',
  folder: 'news',
  url: '/news/{slug}/',
  fields: {
    title: text('Title', { maxLength: 90 }),
    date: date('Date'),
    summary,
    clinical: clinicalFlag,
    ...lifecycle,
  },
  body: body('Post'),
};

const services: FolderCollection = {
  kind: 'folder',
  name: 'services',
  typeName: 'Service',
  label: 'Services and clinics',
  labelSingular: 'Service',
  description: 'What the practice offers, and the clinics it runs.',
  folder: 'services',
  url: '/services/{slug}/',
  fields: {
    title: text('Title', { maxLength: 90 }),
    summary,
    kind: select('Kind', options({ service: 'Service', clinic: 'Clinic' })),
    when: optional(text('When', { maxLength: 200, hint: 'Like "Tuesday mornings"' })),
    where: optional(text('Where', { maxLength: 200, hint: 'Which premises' })),
    how_to_book: optional(text('How to book', { multiline: true, maxLength: 400 })),
    clinical: clinicalFlag,
    ...reviewDates,
    ...lifecycle,
  },
  body: body('Description'),
};

const team: FolderCollection = {
  kind: 'folder',
  name: 'team',
  typeName: 'TeamMember',
  label: 'Team',
  labelSingular: 'Team member',
  description: 'The people who provide services: full names and professional qualifications.',
  folder: 'team',
  fields: {
    name: text('Full name', { maxLength: 90 }),
    role: select(
      'Role',
      options({
        'gp-partner': 'GP partner',
        'salaried-gp': 'Salaried GP',
        'gp-registrar': 'GP registrar',
        'advanced-nurse-practitioner': 'Advanced nurse practitioner',
        'practice-nurse': 'Practice nurse',
        'healthcare-assistant': 'Healthcare assistant',
        pharmacist: 'Clinical pharmacist',
        'physician-associate': 'Physician associate',
        'practice-manager': 'Practice manager',
        dispenser: 'Dispenser',
        reception: 'Reception and administration',
        other: 'Other',
      }),
    ),
    job_title: optional(text('Job title', { maxLength: 90, hint: 'If it says more than the role' })),
    qualifications: list('Qualifications', qualification, { optional: true, hint: 'Like MBChB, MRCGP, DRCOG' }),
    registration: optional(text('Professional registration', { maxLength: 40, hint: 'Like "GMC 1234567"' })),
    gender: optional(select('Gender', options({ female: 'Female', male: 'Male' }), { hint: 'Shown so patients can choose' })),
    order: number('Order', { integer: true, min: 0, max: 999, hint: 'Lower numbers come first' }),
  },
  body: optional(body('About')),
};

const notices: FolderCollection = {
  kind: 'folder',
  name: 'notices',
  typeName: 'Notice',
  label: 'Notices',
  labelSingular: 'Notice',
  description: 'Short notices shown in the page, never as pop-ups. Every notice must have an end.',
  folder: 'notices',
  fields: {
    title: text('Title', { maxLength: 90 }),
    severity: select('Importance', options({ info: 'Information', warning: 'Important', urgent: 'Urgent' })),
    starts: datetime('Show from'),
    expires: datetime('Remove at', { hint: 'Every notice must end; post a new one if it still applies' }),
    placement: select('Where it shows', options({ home: 'Home page only', all: 'Every page' }), { default: 'home' }),
    clinical: clinicalFlag,
  },
  body: body('Notice text'),
};

const policyFields = {
  title: text('Title', { maxLength: 90 }),
  summary,
  ...reviewDates,
};

const policy = (name: string, label: string, url: string, hint: string): SingleFile => ({
  name,
  typeName: 'Policy',
  label,
  file: `policies/${name}.md`,
  url,
  fields: policyFields,
  body: markdown(label, { hint }),
});

const nonAccessible = object('Known problem', {
  problem: text('Problem', { multiline: true, maxLength: 400 }),
  criteria: list('WCAG success criteria', text('Criterion', { maxLength: 60, hint: 'Like 1.1.1 Non-text content' }), { min: 1 }),
  fix_by: optional(date('To be fixed by')),
});

const disproportionateBurden = object('Disproportionate burden claim', {
  problem: text('What is not accessible, and why fixing it now would be a disproportionate burden', { multiline: true, maxLength: 600 }),
  reassess_by: optional(date('Next assessment', { hint: 'When you will assess it again, like when the supplier contract ends' })),
});

export const accessibilityStatement: SingleFile = {
  name: 'accessibility',
  typeName: 'AccessibilityStatement',
  label: 'Accessibility statement',
  file: 'policies/accessibility.md',
  url: '/accessibility-statement/',
  fields: {
    title: text('Title', { maxLength: 90 }),
    ...reviewDates,
    prepared: date('Statement prepared'),
    scope: text('Which website this covers', { multiline: true, maxLength: 300 }),
    how_accessible: text('How accessible the site is', { multiline: true, maxLength: 800 }),
    feedback: object('Feedback and contact', {
      phone: text('Phone', { format: 'uk-phone' }),
      email: optional(text('Email', { format: 'email' })),
      response_days: number('Working days to reply', { integer: true, min: 1, max: 30 }),
    }),
    visiting: text('Phone and visit support', { multiline: true, maxLength: 600, hint: 'BSL interpreters, hearing loops, Relay UK' }),
    compliance: select(
      'Compliance status',
      options({ full: 'Fully compliant', partial: 'Partially compliant', none: 'Not compliant' }),
    ),
    non_accessible: list('Content that is not accessible', nonAccessible, { optional: true }),
    disproportionate_burden: list('Disproportionate burden', disproportionateBurden, {
      optional: true,
      hint: 'Only after a documented disproportionate burden assessment',
    }),
    out_of_scope: list(
      'Content not within the scope of the accessibility regulations',
      text('Content', { multiline: true, maxLength: 400, hint: 'Like PDFs published before 23 September 2018 that are not needed to use a service' }),
      { optional: true },
    ),
    improvements: text('What we are doing to improve', { multiline: true, maxLength: 800 }),
    tested: text('How the site was tested', { multiline: true, maxLength: 600 }),
  },
  body: optional(markdown('More information', { hint: 'Anything else patients should know' })),
};

const policies: FileCollection = {
  kind: 'files',
  name: 'policies',
  label: 'Policies',
  description: 'The statutory policy pages every practice must publish.',
  files: [
    policy('privacy', 'Privacy notice', '/privacy/', 'Who sees patient information, why, and the national data opt-out'),
    policy('complaints', 'Complaints', '/complaints/', 'How to complain, who to, how long it takes, and the Ombudsman'),
    accessibilityStatement,
    policy('cookies', 'Cookies', '/cookies/', 'Which cookies the site sets (ideally none) and why'),
    policy('zero-tolerance', 'Zero tolerance', '/zero-tolerance/', 'The practice will not accept violent or abusive behaviour'),
    policy(
      'rights-and-responsibilities',
      'Rights and responsibilities',
      '/rights-and-responsibilities/',
      "Patients' rights and responsibilities",
    ),
  ],
};

const profile: FileCollection = {
  kind: 'files',
  name: 'practice',
  label: 'Practice profile',
  description: 'Name, premises, opening hours, contacts and the facts every practice must publish.',
  files: [practiceProfile],
};

export const collections: readonly Collection[] = [profile, pages, services, news, team, notices, policies];

/** Every single-file entry, keyed by file name inside the practice folder. */
export const singleFiles: readonly SingleFile[] = collections.flatMap((c) => (c.kind === 'files' ? c.files : []));
export const folderCollections: readonly FolderCollection[] = collections.flatMap((c) => (c.kind === 'folder' ? [c] : []));
