// The NHS suppliers a practice site may link to, and how their links must look. Links only:
// a supplier's script, style or frame never reaches a patient page.

export interface SupplierRule {
  name: string;
  /** Exact host names, compared case-insensitively. */
  hosts: readonly string[];
  /** Host suffixes for suppliers that give each practice a sub-domain (e.g. `.webgp.com`). */
  hostSuffixes?: readonly string[];
  /** Hosts that match a suffix but are never a patient destination. */
  forbiddenHosts?: readonly string[];
  /** Allowed path prefixes; a prefix ending without `/` must match the path exactly or be followed by `/`. */
  paths?: readonly string[];
  /** The path must name something beyond `/` (a practice-specific page). */
  practicePath?: boolean;
  /** Where the practice's own ODS code must appear. */
  ods?: { in: 'path'; segment: number } | { in: 'query'; param: string; pathPrefix: string };
  /** Query parameters that must have exactly these values. */
  query?: Readonly<Record<string, string>>;
  /** What the link is for, shown in errors and the CMS. */
  description: string;
}

export const suppliers = {
  'nhs-app': {
    name: 'NHS App',
    hosts: ['www.nhsapp.service.nhs.uk', 'access.login.nhs.uk'],
    paths: ['/login', '/patient', '/appointments'],
    description: 'NHS App and NHS login',
  },
  'nhs-website': {
    name: 'NHS website',
    hosts: ['www.nhs.uk'],
    paths: ['/services/gp-surgery/', '/conditions/', '/nhs-services/', '/'],
    ods: { in: 'path', segment: 4 },
    description: 'the NHS website, including the practice profile',
  },
  'gp-registration': {
    name: 'GP registration',
    hosts: ['gp-registration.nhs.uk'],
    ods: { in: 'path', segment: 1 },
    practicePath: true,
    description: 'the national online registration service',
  },
  'nhs-111': {
    name: 'NHS 111 online',
    hosts: ['111.nhs.uk'],
    paths: ['/', '/emergency-prescription'],
    description: 'NHS 111 online',
  },
  econsult: {
    name: 'eConsult',
    hosts: ['econsult.net'],
    hostSuffixes: ['.webgp.com'],
    forbiddenHosts: ['assets.webgp.com'],
    description: 'eConsult online consultation',
  },
  accurx: {
    name: 'Accurx Patient Triage',
    hosts: ['accurx.nhs.uk'],
    paths: ['/patient-initiated/'],
    ods: { in: 'path', segment: 2 },
    description: 'Accurx Patient Triage',
  },
  patchs: {
    name: 'PATCHS',
    hosts: ['patchs.ai', 'www.patchs.ai', 'hub.patchs.ai'],
    practicePath: true,
    description: 'PATCHS online consultation',
  },
  systmonline: {
    name: 'SystmOnline',
    hosts: ['systmonline.tpp-uk.com'],
    paths: ['/2/Login', '/2/OnlineConsultation'],
    ods: { in: 'query', param: 'OrgId', pathPrefix: '/2/OnlineConsultation' },
    description: 'SystmOnline (TPP)',
  },
  'patient-access': {
    name: 'Patient Access',
    hosts: ['www.patientaccess.com', 'app.patientaccess.com', 'account.patientaccess.com'],
    description: 'Patient Access (EMIS)',
  },
  'app-store': {
    name: 'App store',
    hosts: ['apps.apple.com', 'play.google.com'],
    description: 'the NHS App in an app store',
  },
} as const satisfies Record<string, SupplierRule>;

export type SupplierId = keyof typeof suppliers;

/** The Android package id the Play Store link must carry. */
export const nhsAppAndroidId = 'com.nhs.online.nhsonline';

/** Phone and text links patients may be given (emergency and crisis lines are fixed numbers). */
export const allowedLinkSchemes = ['https:', 'http:', 'mailto:', 'tel:', 'sms:'] as const;
