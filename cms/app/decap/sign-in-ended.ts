// What Decap shows in place of its own login screen, which would offer a "Login" button that
// cannot work here: people sign in on this page before Decap starts, so if Decap finds nobody
// signed in, the sign-in has ended and the way on is to sign in again.
import { createElement as h } from 'react';

export function SignInEnded(): ReturnType<typeof h> {
  return h(
    'section',
    { className: 'pd-cms-ended', 'aria-labelledby': 'pd-cms-ended-heading' },
    h('h1', { id: 'pd-cms-ended-heading' }, 'Your sign-in has ended'),
    h('p', {}, 'Sign in again to carry on editing. Changes you saved are kept.'),
    h('p', {}, h('a', { href: '/cms/?sign-in-ended' }, 'Sign in again')),
  );
}
