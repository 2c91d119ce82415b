-- GoCardless does not promise to deliver events in order: a retried `payments.confirmed` for last
-- month's payment can arrive after this month's `payments.failed`. The creation time of the payment
-- event last applied is kept, so an older one is recorded but no longer overwrites a newer state.
alter table public.billing add column last_payment_event_at timestamptz;
