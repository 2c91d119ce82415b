// What to rotate after credentials may have leaked, with the exact commands: every secret the
// portal's Pages project holds (portal-functions/README.md), the Supabase keys and database
// password, GoCardless's and Resend's keys, and the deploy token. The practice sites' Pages
// projects hold no secrets (functions/README.md: only the AI binding and plain settings).

export interface RotationStep {
  what: string;
  /** Where the new value comes from, and what to do with the old one. */
  how: string;
  /** The command that installs it, when there is one. */
  command?: string;
}

export interface RotationSection {
  title: string;
  steps: RotationStep[];
}

/** The portal project's secrets, by name, and where each new value comes from. */
export const portalSecrets: { name: string; source: string }[] = [
  { name: 'SEND_EMAIL_HOOK_SECRET', source: 'Supabase dashboard → Authentication → Hooks → Send Email hook: generate a new secret (v1,whsec_…)' },
  { name: 'RESEND_API_KEY', source: 'Resend dashboard → API Keys: create a sending-only key; delete the old key once the new one is in place' },
  { name: 'GOCARDLESS_WEBHOOK_SECRET', source: 'GoCardless dashboard → Developers → Webhook endpoints → the portal endpoint: rotate its secret' },
  { name: 'DB_WEBHOOK_SECRET', source: 'a new whsec_ secret (whsec_$(openssl rand -base64 32)), set in the same command on each Supabase database webhook' },
  { name: 'DATABASE_URL', source: 'only if the project has it (no Hyperdrive binding): the URL with the new database password below' },
];

export function rotationPlan(o: { portalProject: string }): RotationSection[] {
  const put = (name: string) => `wrangler pages secret put ${name} --project-name ${o.portalProject}`;
  return [
    {
      title: `Cloudflare Pages: the portal project (${o.portalProject})`,
      steps: [
        ...portalSecrets.map((s) => ({ what: s.name, how: s.source, command: put(s.name) })),
        { what: 'Redeploy', how: 'secrets reach the Functions on the next deployment: redeploy the portal after putting them' },
      ],
    },
    {
      title: 'Supabase',
      steps: [
        {
          what: 'JWT signing key',
          how: 'Project Settings → JWT Keys: create a standby key, rotate to it, then revoke the previous key. Every token it signed stops verifying; the portal reads the new key from the JWKS. (Legacy JWT secret: "Generate a new secret", which also replaces the anon and service role keys.)',
        },
        {
          what: 'Service role key',
          how: 'Project Settings → API Keys: create a new secret key, put it wherever SUPABASE_SERVICE_ROLE_KEY is configured, then delete the old key',
        },
        {
          what: 'Database password',
          how: 'Project Settings → Database → Reset database password; then give Hyperdrive the new password',
          command: "wrangler hyperdrive update <hyperdrive id> --origin-password '<new password>'",
        },
      ],
    },
    {
      title: 'GoCardless',
      steps: [
        { what: 'Webhook endpoint secret', how: 'rotated above as GOCARDLESS_WEBHOOK_SECRET', command: put('GOCARDLESS_WEBHOOK_SECRET') },
        { what: 'Access token', how: 'Developers → Access tokens: create a new token, replace it wherever it is used, then revoke the old one' },
      ],
    },
    {
      title: 'Resend',
      steps: [{ what: 'API key', how: 'rotated above as RESEND_API_KEY; also replace it in any shell or CI job that sends email (pd tick, pd incident notify)', command: put('RESEND_API_KEY') }],
    },
    {
      title: 'Deploying',
      steps: [
        {
          what: 'CLOUDFLARE_API_TOKEN',
          how: 'Cloudflare dashboard → Account API Tokens: roll the Pages · Edit token; then update the content repository’s Actions secret',
          command: 'gh secret set CLOUDFLARE_API_TOKEN --repo <owner>/<content repository>',
        },
        { what: 'Practice site projects (pd-<slug>)', how: 'hold no secrets: nothing to rotate there' },
      ],
    },
  ];
}

export function rotationText(sections: RotationSection[]): string {
  return sections
    .map((s) => [`${s.title}:`, ...s.steps.map((step) => `  - ${step.what}: ${step.how}${step.command ? `\n      ${step.command}` : ''}`)].join('\n'))
    .join('\n\n');
}
