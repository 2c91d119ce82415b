// Field groups used by more than one collection.
import { date, datetime, list, markdown, number, object, optional, options, select, text, boolean } from './dsl.ts';
import { suppliers } from './suppliers.ts';

export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const session = object('Opening session', {
  opens: text('Opens', { format: 'time', hint: '24-hour clock, like 08:00' }),
  closes: text('Closes', { format: 'time', hint: '24-hour clock, like 18:30' }),
});

/** Hours for each day of the week; an empty list means closed that day. */
export const weeklyHours = (label: string, hint: string) =>
  object(
    label,
    Object.fromEntries(
      weekdays.map((day) => [day, list(day[0]!.toUpperCase() + day.slice(1), session, { hint: 'Leave empty if closed' })]),
    ),
    { hint, widget: 'opening-hours' },
  );

export const address = object('Address', {
  lines: list('Address lines', text('Line'), { min: 1, max: 4 }),
  town: text('Town or city'),
  postcode: text('Postcode', { format: 'postcode' }),
});

export const reviewDates = {
  last_reviewed: date('Last reviewed', { hint: 'When someone last checked this page was right' }),
  review_by: date('Review by', { hint: 'When it must next be checked; at most 12 months after the last review', widget: 'review-date' }),
};

/**
 * When an entry goes on and comes off the site. Both optional: without them it is live from its
 * first publish until it is deleted. The build and the scheduled job both read them.
 */
export const lifecycle = {
  publish_at: optional(
    datetime('Publish at', {
      hint: 'Leave empty to publish at once. Otherwise UK time, like 2027-01-04T09:00: until then it is not on the site, its lists, the sitemap or the chatbot',
    }),
  ),
  expires: optional(
    datetime('Remove at', {
      hint: 'Leave empty to keep it. Otherwise UK time, like 2027-03-31T17:00: it leaves the site at that moment, and links to it from other pages become plain text',
    }),
  ),
};

export const navigation = object(
  'Navigation',
  {
    place: select('Where it appears', options({ main: 'Main navigation', footer: 'Footer', none: 'Not in navigation' }), {
      default: 'none',
    }),
    order: optional(number('Order', { integer: true, min: 0, max: 999, hint: 'Lower numbers come first' })),
  },
  { optional: true },
);

export const topTasks = options({
  appointments: 'Make, change or cancel an appointment',
  prescriptions: 'Order a repeat prescription',
  registration: 'Register with the practice',
  contact: 'Contact us and opening hours',
  'test-results': 'Get test results',
  'fit-notes': 'Get a fit note',
  'urgent-help': 'Get urgent help',
});

export const supplierLink = object(
  'Online service',
  {
    supplier: select(
      'Supplier',
      Object.entries(suppliers).map(([value, s]) => ({ value, label: s.name })),
    ),
    purpose: select(
      'What it is for',
      options({
        appointments: 'Appointments',
        prescriptions: 'Repeat prescriptions',
        consultation: 'Online consultation',
        registration: 'Registration',
        records: 'Health record',
        'test-results': 'Test results',
        'fit-notes': 'Fit notes',
        'urgent-help': 'Urgent help',
        profile: 'NHS website profile',
        app: 'NHS App download',
      }),
    ),
    label: text('Link text', { hint: 'Say where the link goes, like "Order a repeat prescription in the NHS App"', maxLength: 120 }),
    url: text('Web address', { format: 'https-url', hint: 'Only addresses of the supplier you chose are accepted' }),
  },
  { widget: 'supplier-link' },
);

export const body = (label = 'Page text') => markdown(label, { hint: 'Plain English: short sentences, common words' });

export const clinicalFlag = boolean('Clinical content', {
  default: false,
  hint: 'Clinical content must be approved by a clinical reviewer before it goes live',
});

export const summary = text('Summary', { maxLength: 300, multiline: true, hint: 'One or two sentences shown in lists and search results' });

export const qualification = text('Qualification', { maxLength: 60 });

export const money = (label: string) => number(label, { min: 0, hint: 'Pounds, no £ sign' });
